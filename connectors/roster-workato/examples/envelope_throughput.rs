//! Prints how fast `EnvelopeScanner::feed` streams a ~20 MB `/api/members`
//! body fed in 16 KiB chunks. Run with
//! `cargo run --release -p roster-workato --example envelope_throughput`.

use std::time::Instant;

use roster_workato::envelope::EnvelopeScanner;

fn body(target: usize) -> Vec<u8> {
    let mut b = Vec::with_capacity(target + 1024);
    b.extend_from_slice(b"{\"data\": [");
    let mut id = 1000u64;
    while b.len() < target {
        if id > 1000 {
            b.push(b',');
        }
        id += 1;
        let member = format!(
            r#"{{"id":{id},"email":"bjorn_muller{id}@example.com","name":"Björn \"B\" Müller","roles":[{{"environment_type":"dev","role_name":"Operator"}}],"last_activity_log":{{"id":9,"event_type":"user_login","created_at":"2024-05-01T10:22:33.123-07:00"}},"external_id":null,"time_zone":"Kathmandu","grant_type":"team","created_at":"2024-09-19T02:41:17.718+05:45"}}"#
        );
        b.extend_from_slice(member.as_bytes());
    }
    b.extend_from_slice(format!("], \"total\": {}}}", id - 1000).as_bytes());
    b
}

fn main() {
    let body = body(20 << 20);
    let rounds = 10;
    let mut best = f64::INFINITY;
    let mut elements = 0u64;
    for _ in 0..rounds {
        let t = Instant::now();
        let mut s = EnvelopeScanner::new();
        let mut n = 0u64;
        let mut bytes = 0usize;
        for chunk in body.chunks(16 << 10) {
            s.feed(chunk, |e| {
                n += 1;
                bytes += e.len();
            })
            .expect("valid body");
        }
        let summary = s.finish().expect("complete body");
        assert_eq!(summary.elements, n);
        std::hint::black_box(bytes);
        best = best.min(t.elapsed().as_secs_f64());
        elements = n;
    }
    let mb = body.len() as f64 / 1e6;
    println!(
        "{:.1} MB, {elements} elements: best of {rounds} {:.2} ms, {:.0} MB/s, {:.2} M elements/s",
        mb,
        best * 1e3,
        mb / best,
        elements as f64 / best / 1e6
    );
}
