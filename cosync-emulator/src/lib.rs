//! scratch
#[cfg(test)]
mod t {
    #[test]
    fn sign_speed() {
        use rsa::pkcs8::DecodePrivateKey;
        use rsa::pkcs1::DecodeRsaPrivateKey;
        let pem = std::fs::read_to_string("tests/fixtures/TEST-ONLY-server-3072.pem").unwrap();
        let t = std::time::Instant::now();
        let k = rsa::PrivateKey::from_pkcs8_pem(&pem).unwrap();
        eprintln!("parse3072: {:?}", t.elapsed());
        let t = std::time::Instant::now();
        for _ in 0..10 { k.pkcs1v15_sign::<rsa::sha2::Sha256>(b"hello").unwrap(); }
        eprintln!("10x sign3072: {:?}", t.elapsed());
        let pem = std::fs::read_to_string("tests/fixtures/TEST-ONLY-app-a-2048.pem").unwrap();
        let k = rsa::PrivateKey::from_pkcs1_pem(&pem).unwrap();
        let t = std::time::Instant::now();
        for _ in 0..10 { k.pkcs1v15_sign::<rsa::sha2::Sha256>(b"hello").unwrap(); }
        eprintln!("10x sign2048: {:?}", t.elapsed());
        let t = std::time::Instant::now();
        let h = bcrypt::hash("abc", 4).unwrap();
        eprintln!("bcrypt4: {:?} {h}", t.elapsed());
    }
}
