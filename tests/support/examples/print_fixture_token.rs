fn main() {
    println!("{}", cosync_test_support::mint::app_token());
}
