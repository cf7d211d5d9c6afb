//! Cost per call of a non-streamed chat completion: `cargo bench --bench create`.
//!
//! Sequential calls over one kept-alive loopback connection to a server that writes a
//! pre-built answer, three ways in the same run, taking turns round after round (each round
//! starting with the next) so that a change in the machine's load hits all three alike:
//! - raw ureq with no timeout at all, decoded into the crate's `ChatCompletionResponse`;
//! - raw ureq with the client's settings (60 s for the whole call, 10 s to resolve and to
//!   connect), decoded the same way;
//! - `client.chat().completions().create`.
//!
//! The best round of each is reported, with its ratio to raw ureq without timeouts.

use std::hint::black_box;

use meshapi::Client;
mod shared;

use shared::server::Server;
use shared::{best_in_turn, client, completion, params, raw_agent, raw_create};

const CALLS: usize = 2_000;
const ROUNDS: usize = 7;

fn raw(agent: &ureq::Agent, url: &str) {
    for _ in 0..CALLS {
        black_box(raw_create(agent, url));
    }
}

fn sdk(client: &Client) {
    let params = params();
    for _ in 0..CALLS {
        black_box(client.chat().completions().create(&params).expect("reply"));
    }
}

fn main() {
    let server = Server::start("application/json", &completion());
    let url = format!("{}/v1/chat/completions", server.url());
    let bare = raw_agent(false);
    let same = raw_agent(true);
    let client = client(&server);

    let mut paths: [Box<dyn FnMut()>; 3] = [
        Box::new(|| raw(&bare, &url)),
        Box::new(|| raw(&same, &url)),
        Box::new(|| sdk(&client)),
    ];
    let best = best_in_turn(ROUNDS, &mut paths);
    let names = [
        "raw ureq, no timeouts (baseline)",
        "raw ureq, the client's timeouts",
        "chat().completions().create",
    ];
    let base = best[0].as_secs_f64();
    println!(
        "{CALLS} calls a round, best of {ROUNDS} rounds\n{:<36} {:>10} {:>10}",
        "path", "µs/call", "vs base"
    );
    for (name, time) in names.iter().zip(best) {
        let secs = time.as_secs_f64();
        println!(
            "{name:<36} {:>10.1} {:>9.2}x",
            secs * 1e6 / CALLS as f64,
            secs / base
        );
    }
}
