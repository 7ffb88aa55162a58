// The macro takes nothing or one string literal.
cosync::cosync_constants!(cosync_toml);

fn main() {}
