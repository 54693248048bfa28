//! Entry point of the main-thread app (built by Trunk without SQLite).

#[cfg(target_arch = "wasm32")]
fn main() {
    gridledger::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the app runs in a browser: build it with `trunk build`");
}
