//! The Yew app on the main thread: routes, the shared context, reusable components and one
//! folder per page. It never touches SQLite: every read and write is a protocol request to the
//! database worker (`db`).

pub mod app;
pub mod components;
pub mod ctx;
pub mod db;
pub mod pages;
pub mod photo;
pub mod pickers;
pub mod pwa;
pub mod tabs;

pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
