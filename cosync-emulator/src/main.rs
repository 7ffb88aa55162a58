//! `cosync-emulator`: a local CoSync Auth server.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
