//! Entry point of the database worker (built by Trunk as `worker.js`).

#[cfg(target_arch = "wasm32")]
fn main() {
    gridledger::worker::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker runs in a browser: build it with `trunk build`");
}
