//! Command line: `serve` runs the server, `app …` administers a data directory.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use cosync_emulator::{
    Admin, CreatedApp, DEFAULT_BCRYPT_COST, DEFAULT_PORT, Emulator, Error, MetaDataField, NewApp,
    SignupFlow, TwoFactor,
};

const EXIT_FAILURE: u8 = 1;
const EXIT_DATA: u8 = 3;
const EXIT_BIND: u8 = 4;

#[derive(Debug, Parser)]
#[command(
    name = "cosync-emulator",
    version,
    about = "A local CoSync Auth server: real keys, real signatures, SQLite, no e-mail leaves the machine.",
    after_help = "\
Examples:
  cosync-emulator serve                          # http://127.0.0.1:8750, data in the user data dir
  cosync-emulator serve --port 0 --memory        # free port, nothing kept
  cosync-emulator app create demo --write cosync.toml
  cosync-emulator app create shop --signup-flow none --two-factor google \\
      --metadata user_data.name:name:required:editable

Exit codes: 0 success, 1 failure, 2 usage error, 3 data directory or database error,
4 cannot listen on the port."
)]
struct Cli {
    /// Data directory holding the SQLite database and keys
    /// [default: <user data dir>/cosync-emulator]
    #[arg(long, global = true, value_name = "DIR", env = "COSYNC_EMULATOR_DATA")]
    data: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the emulator until Ctrl-C.
    #[command(after_help = "\
Examples:
  cosync-emulator serve
  cosync-emulator serve --port 0 --memory --no-hang
  RUST_LOG=debug cosync-emulator serve --data ./emulator-data

E-mails and SMS (sign-up codes, reset codes, …) are logged and listed at GET /_emulator/outbox.
Emulator-only routes are listed at GET /_emulator/.")]
    Serve(ServeArgs),
    /// Create and inspect apps in the data directory.
    #[command(subcommand)]
    App(AppCommand),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Loopback port to listen on; 0 picks a free port (printed at start).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Keep everything in memory (create apps with POST /_emulator/apps); ignores
    /// COSYNC_EMULATOR_DATA, cannot be combined with --data.
    #[arg(long)]
    memory: bool,
    /// Import this server private key (PEM) instead of generating one (new data directories only).
    #[arg(long, value_name = "PEM_FILE")]
    server_key: Option<PathBuf>,
    /// Answer HTTP 400 where the real server never answers (see COSYNC.md 8.2).
    #[arg(long)]
    no_hang: bool,
    /// bcrypt cost for stored passwords (4-31).
    #[arg(long, default_value_t = DEFAULT_BCRYPT_COST, value_parser = clap::value_parser!(u32).range(4..=31))]
    bcrypt_cost: u32,
}

#[derive(Debug, Subcommand)]
enum AppCommand {
    /// Create an app and print (or write) its cosync.toml.
    #[command(after_help = "\
Examples:
  cosync-emulator app create demo
  cosync-emulator app create demo --signup-flow link --anonymous --user-names --write cosync.toml
  cosync-emulator app create demo --metadata user_data.name:name:required:editable --metadata nick:nick

The printed cosync.toml is accepted by cosync_constants!() as is: its rest_address is
http://127.0.0.1:PORT (the port of the last `serve` on this data directory, or --port), and
app_token_key is the emulator's server public key.")]
    Create(Box<CreateArgs>),
    /// List the apps.
    List,
    /// Print (or write) the cosync.toml of an existing app.
    Show(ShowArgs),
}

#[derive(Debug, Args)]
struct Target {
    /// Port to put into rest_address [default: the last `serve` port, else 8750].
    #[arg(long, conflicts_with = "rest_address")]
    port: Option<u16>,
    /// Full rest_address to put into cosync.toml instead of http://127.0.0.1:PORT.
    #[arg(long, value_name = "URL")]
    rest_address: Option<String>,
    /// Write cosync.toml to this file instead of printing it.
    #[arg(long, value_name = "FILE")]
    write: Option<PathBuf>,
    /// Overwrite the --write file if it exists.
    #[arg(long, requires = "write")]
    force: bool,
}

#[derive(Debug, Args)]
struct CreateArgs {
    /// App name.
    name: String,
    /// Sign-up confirmation flow.
    #[arg(long, default_value = "code", value_parser = ["code", "link", "none"])]
    signup_flow: String,
    /// Two-factor login mode.
    #[arg(long, default_value = "none", value_parser = ["none", "phone", "google"])]
    two_factor: String,
    /// Allow anonymous login.
    #[arg(long)]
    anonymous: bool,
    /// Allow user names (handles without @).
    #[arg(long)]
    user_names: bool,
    /// A user metadata field: PATH:FIELD[:required][:editable] (repeatable).
    #[arg(long, value_name = "PATH:FIELD[:required][:editable]")]
    metadata: Vec<MetaDataField>,
    /// A metadata field set by inviters: PATH:FIELD[:required] (repeatable).
    #[arg(long, value_name = "PATH:FIELD[:required]")]
    invite_metadata: Vec<MetaDataField>,
    /// Realm / App Services app id (the aud of user JWTs).
    #[arg(long, value_name = "ID")]
    realm_app_id: Option<String>,
    /// Allowed locales, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "EN")]
    locales: Vec<String>,
    /// Enable Sign in with Apple for these bundle ids (comma-separated).
    #[arg(long, value_name = "IDS")]
    apple_bundle_id: Option<String>,
    /// Enable Google sign-in for these OAuth client ids (comma-separated).
    #[arg(long, value_name = "IDS")]
    google_client_id: Option<String>,
    /// Use this app id (32 lowercase hex) instead of a random one.
    #[arg(long)]
    app_id: Option<String>,
    /// Use this app private key (PEM) instead of generating one.
    #[arg(long, value_name = "PEM_FILE")]
    private_key: Option<PathBuf>,
    /// Use this iat (Unix seconds) in the app token.
    #[arg(long, value_name = "SECONDS")]
    token_iat: Option<i64>,
    /// Import this server private key (PEM) if the data directory is new (it must match otherwise).
    #[arg(long, value_name = "PEM_FILE")]
    server_key: Option<PathBuf>,
    #[command(flatten)]
    target: Target,
}

#[derive(Debug, Args)]
struct ShowArgs {
    /// The app id.
    app_id: String,
    #[command(flatten)]
    target: Target,
}

/// Runs the command line and maps failures to exit codes.
pub fn main() -> ExitCode {
    let cli = parse(Cli::command().get_matches());
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// The parsed command line. `--memory` and `--data` conflict only when both are on the command
/// line: a data directory from `COSYNC_EMULATOR_DATA` (which clap treats as given) yields to
/// `--memory`, so `serve --memory` works in a shell that exports the variable.
fn parse(matches: ArgMatches) -> Cli {
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Command::Serve(args) = &cli.command
        && args.memory
        && matches.value_source("data") == Some(ValueSource::CommandLine)
    {
        let mut command = Cli::command();
        command.build();
        let serve = command
            .find_subcommand_mut("serve")
            .expect("the serve subcommand exists");
        serve
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "the argument '--memory' cannot be used with '--data <DIR>'",
            )
            .exit();
    }
    cli
}

struct Failure {
    code: u8,
    message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = match &e {
            Error::Store(_) | Error::ServerKeyMismatch | Error::SocialKeyMismatch => EXIT_DATA,
            Error::Bind { .. } => EXIT_BIND,
            _ => EXIT_FAILURE,
        };
        Failure {
            code,
            message: e.to_string(),
        }
    }
}

fn failure(message: String) -> Failure {
    Failure {
        code: EXIT_FAILURE,
        message,
    }
}

fn data_dir(given: Option<PathBuf>) -> Result<PathBuf, Failure> {
    given
        .or_else(|| dirs::data_dir().map(|d| d.join("cosync-emulator")))
        .ok_or_else(|| Failure {
            code: EXIT_DATA,
            message: "no user data directory on this system; pass --data DIR".to_owned(),
        })
}

fn read_pem(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| failure(format!("cannot read {}: {e}", path.display())))
}

async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Serve(args) => serve(cli.data, args).await,
        Command::App(AppCommand::Create(args)) => create(data_dir(cli.data)?, *args).await,
        Command::App(AppCommand::List) => list(data_dir(cli.data)?).await,
        Command::App(AppCommand::Show(args)) => show(data_dir(cli.data)?, args).await,
    }
}

async fn serve(data: Option<PathBuf>, args: ServeArgs) -> Result<(), Failure> {
    let mut builder = Emulator::builder()
        .port(args.port)
        .hang_on_malformed(!args.no_hang)
        .bcrypt_cost(args.bcrypt_cost);
    let dir = if args.memory {
        None
    } else {
        Some(data_dir(data)?)
    };
    builder = match &dir {
        Some(dir) => builder.data_dir(dir),
        None => builder.memory(),
    };
    if let Some(path) = &args.server_key {
        builder = builder.server_key_pem(read_pem(path)?);
    }
    let emulator = builder.start().await?;
    println!("cosync-emulator listening on {}", emulator.base_url());
    match &dir {
        Some(dir) => {
            println!("data directory: {}", dir.display());
            println!(
                "create an app:  cosync-emulator app create NAME --data {}",
                shell_quote(dir)
            );
        }
        None => println!(
            "in memory: create apps with POST {}/_emulator/apps",
            emulator.base_url()
        ),
    }
    println!("outbox:         {}/_emulator/outbox", emulator.base_url());
    shutdown_signal().await;
    eprintln!("stopping");
    emulator.stop().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix (what `kill` and service managers send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

fn shell_quote(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-~".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

async fn rest_address(admin: &Admin, target: &Target) -> Result<String, Failure> {
    if let Some(address) = &target.rest_address {
        return Ok(address.trim_end_matches('/').to_owned());
    }
    let port = match target.port {
        Some(port) => port,
        None => admin.last_port().await?.unwrap_or(DEFAULT_PORT),
    };
    Ok(format!("http://127.0.0.1:{port}"))
}

fn output(app: &CreatedApp, target: &Target) -> Result<(), Failure> {
    let Some(path) = &target.write else {
        print!("{}", app.cosync_toml);
        return Ok(());
    };
    if path.exists() && !target.force {
        return Err(failure(format!(
            "{} exists; pass --force to overwrite it",
            path.display()
        )));
    }
    std::fs::write(path, &app.cosync_toml)
        .map_err(|e| failure(format!("cannot write {}: {e}", path.display())))?;
    eprintln!(
        "wrote {} for app {} ({})",
        path.display(),
        app.settings.name,
        app.app_id
    );
    Ok(())
}

async fn create(dir: PathBuf, args: CreateArgs) -> Result<(), Failure> {
    let server_key = args.server_key.as_deref().map(read_pem).transpose()?;
    let admin = Admin::open_with_key(&dir, server_key).await?;
    let mut new = NewApp::named(&args.name)
        .signup_flow(args.signup_flow.parse::<SignupFlow>().map_err(failure)?)
        .two_factor(args.two_factor.parse::<TwoFactor>().map_err(failure)?)
        .anonymous_login(args.anonymous)
        .user_names(args.user_names);
    let s = &mut new.settings;
    s.meta_data = args.metadata;
    s.meta_data_invite = args.invite_metadata;
    s.realm_app_id = args.realm_app_id;
    s.locales = args
        .locales
        .iter()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(ids) = args.apple_bundle_id {
        s.apple_login_enabled = true;
        s.apple_bundle_id = Some(ids);
    }
    if let Some(ids) = args.google_client_id {
        s.google_login_enabled = true;
        s.google_client_id = Some(ids);
    }
    new.app_id = args.app_id;
    new.token_iat = args.token_iat;
    if let Some(path) = &args.private_key {
        new.private_key_pem = Some(read_pem(path)?);
    }
    let address = rest_address(&admin, &args.target).await?;
    let app = admin.create_app(new, &address).await?;
    output(&app, &args.target)
}

async fn list(dir: PathBuf) -> Result<(), Failure> {
    let admin = Admin::open(&dir).await?;
    let apps = admin.apps().await?;
    if apps.is_empty() {
        eprintln!("no apps yet; create one with: cosync-emulator app create NAME");
    }
    for app in apps {
        let s = &app.settings;
        println!(
            "{}  {}  (signup {}, two-factor {}, {})",
            app.app_id, app.name, s.signup_flow, s.two_factor_verification, s.status
        );
    }
    Ok(())
}

async fn show(dir: PathBuf, args: ShowArgs) -> Result<(), Failure> {
    let admin = Admin::open(&dir).await?;
    let address = rest_address(&admin, &args.target).await?;
    let app = admin.app(&args.app_id, &address).await?;
    output(&app, &args.target)
}
