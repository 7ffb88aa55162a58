#!/usr/bin/env bash
# The clean-build cost that depending on cosync adds to an empty binary.
#
# Builds three throwaway binaries from scratch (each with its own empty target directory, debug
# profile, dependencies already downloaded) and reports wall-clock times and ratios against the
# empty binary measured in the same run:
#   empty           fn main() {}
#   with-rsa        + rsa 0.10 with only pkcs1v15: the floor for any compile-time RS256 check
#   with-cosync-macros  + cosync with only the `macros` feature, expanding cosync_constants!()
#   with-http       + reqwest (rustls) + tokio + jsonwebtoken (aws-lc-rs): the floor for the client
#   with-cosync     + cosync with its default features (macros + client), expanding the macro
#
# Usage: benches/build-cost.sh [runs]   (default 1 run per variant; the median is reported)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/bench/build-cost"
runs="${1:-1}"
mkdir -p "$work"

make_crate() { # name, extra dependency lines, main.rs
    local dir="$work/$1"
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$2

[workspace]
TOML
    printf '%s\n' "$3" > "$dir/src/main.rs"
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
}

make_crate empty "" 'fn main() {}'
make_crate with-rsa 'rsa = { version = "0.10", default-features = false, features = ["pkcs1v15"] }' 'fn main() { let _ = rsa::PublicKey::MIN_SIZE; }'
make_crate with-cosync-macros "cosync = { path = \"$root\", default-features = false, features = [\"macros\"] }" 'cosync::cosync_constants!(); fn main() { println!("{}", APP_ID); }'
make_crate with-http 'reqwest = { version = "0.13", default-features = false, features = ["rustls", "form", "query"] }
tokio = { version = "1", default-features = false, features = ["time"] }
jsonwebtoken = { version = "12", default-features = false, features = ["aws_lc_rs"] }' 'fn main() { let _ = reqwest::Client::new(); let _ = jsonwebtoken::Algorithm::RS256; }'
make_crate with-cosync "cosync = { path = \"$root\" }" 'cosync::cosync_constants!(); fn main() { println!("{}", APP_ID); let _ = client(); }'
cp "$root/examples/quickstart/cosync.toml" "$work/with-cosync-macros/cosync.toml"
cp "$root/examples/quickstart/cosync.toml" "$work/with-cosync/cosync.toml"

seconds() { # crate dir -> clean build wall time
    local dir="$1" start end
    rm -rf "$dir/target"
    start=$(date +%s.%N)
    (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo build --quiet)
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

names="empty with-rsa with-cosync-macros with-http with-cosync"
declare -A time crates floor
floor=([empty]=empty [with-rsa]=empty [with-cosync-macros]=with-rsa [with-http]=empty [with-cosync]=with-http)
for name in $names; do
    time[$name]=$(for _ in $(seq "$runs"); do seconds "$work/$name"; done | median)
    crates[$name]=$(cd "$work/$name" && cargo tree --prefix none -e normal,build 2>/dev/null | sed 's/ (\*)//' | sort -u | wc -l)
done

echo "Clean debug build on $(nproc) cores, $runs run(s) each, dependencies pre-downloaded:"
echo "| binary | crates | clean build | vs. empty | vs. its floor |"
echo "|---|---|---|---|---|"
for name in $names; do
    printf '| %s | %s | %.1f s | %.1f× | %.2f× (%s) |\n' "$name" "${crates[$name]}" "${time[$name]}" \
        "$(echo "${time[$name]} / ${time[empty]}" | bc -l)" \
        "$(echo "${time[$name]} / ${time[${floor[$name]}]}" | bc -l)" "${floor[$name]}"
done
