#!/usr/bin/env bash
# The clean-build cost that depending on cosync adds to an empty binary.
#
# Builds three throwaway binaries from scratch (each with its own empty target directory, debug
# profile, dependencies already downloaded) and reports wall-clock times and ratios against the
# empty binary measured in the same run:
#   empty   fn main() {}
#   rsa     + rsa 0.10 with only pkcs1v15 (the RS256 verifier every compile-time check needs)
#   cosync  + cosync with its default features, expanding cosync_constants!() on a fixture config
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
make_crate with-cosync "cosync = { path = \"$root\" }" 'cosync::cosync_constants!(); fn main() { println!("{}", APP_ID); }'
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

declare -A time crates
for name in empty with-rsa with-cosync; do
    time[$name]=$(for _ in $(seq "$runs"); do seconds "$work/$name"; done | median)
    crates[$name]=$(cd "$work/$name" && cargo tree --prefix none -e normal,build 2>/dev/null | sed 's/ (\*)//' | sort -u | wc -l)
done

echo "Clean debug build on $(nproc) cores, $runs run(s) each, dependencies pre-downloaded:"
echo "| binary | crates | clean build | vs. empty | vs. rsa only |"
echo "|---|---|---|---|---|"
for name in empty with-rsa with-cosync; do
    printf '| %s | %s | %.1f s | %.1f× | %.2f× |\n' "$name" "${crates[$name]}" "${time[$name]}" \
        "$(echo "${time[$name]} / ${time[empty]}" | bc -l)" \
        "$(echo "${time[$name]} / ${time[with-rsa]}" | bc -l)"
done
