//! Photos in the browser: a picked or taken picture is decoded, scaled so its longest side is
//! at most `domain::photo::MAX_SIDE` and encoded as JPEG on a canvas before it is sent to the
//! worker (the store checks the bytes again). Stored photos are fetched one by one.

use crate::domain::photo;
use crate::protocol::{PhotoIn, Request, Response};
use crate::ui::ctx::use_app;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

fn js_err(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "?".into())
}

/// Decodes an image file and re-encodes it downscaled as JPEG; returns the base64 bytes.
pub async fn downscale(file: &web_sys::File) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(file).map_err(js_err)?)
            .await
            .map_err(js_err)?
            .dyn_into()
            .map_err(js_err)?;
    let (w, h) = photo::fit(bitmap.width(), bitmap.height());
    let canvas: web_sys::HtmlCanvasElement = window
        .document()
        .ok_or("no document")?
        .create_element("canvas")
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "no canvas".to_string())?;
    canvas.set_width(w);
    canvas.set_height(h);
    let g: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_err)?
        .ok_or("no 2d canvas")?
        .dyn_into()
        .map_err(|_| "no 2d canvas".to_string())?;
    // JPEG has no transparency: a white ground for PNGs with it.
    g.set_fill_style_str("#fff");
    g.fill_rect(0.0, 0.0, w as f64, h as f64);
    g.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w as f64, h as f64)
        .map_err(js_err)?;
    bitmap.close();
    for quality in [0.85, 0.7, 0.5] {
        let url = canvas
            .to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(quality))
            .map_err(js_err)?;
        let data = url.split_once(',').map(|(_, d)| d).unwrap_or_default();
        // base64 is 4/3 of the bytes.
        if data.len() / 4 * 3 <= photo::MAX_BYTES {
            return Ok(data.to_string());
        }
    }
    Err("too large".into())
}

#[derive(Properties, PartialEq)]
pub struct PhotoPickerProps {
    pub id: AttrValue,
    pub photos: Vec<PhotoIn>,
    pub on_change: Callback<Vec<PhotoIn>>,
    #[prop_or_default]
    pub error: Option<String>,
}

/// "Take a photo" (the phone camera) and "pick files", with thumbnails to remove.
#[component]
pub fn PhotoPicker(p: &PhotoPickerProps) -> Html {
    let ctx = use_app();
    let busy = use_state(|| 0usize);
    let problem = use_state(|| None::<String>);
    // The latest list, for async additions that finish after a removal.
    let latest = use_mut_ref(Vec::<PhotoIn>::new);
    *latest.borrow_mut() = p.photos.clone();
    let on_files = {
        let (on_change, busy, problem, latest, ctx) = (
            p.on_change.clone(),
            busy.clone(),
            problem.clone(),
            latest.clone(),
            ctx.clone(),
        );
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(list) = input.files() else { return };
            let files: Vec<web_sys::File> =
                (0..list.length()).filter_map(|i| list.get(i)).collect();
            input.set_value("");
            let room = photo::MAX_PER_STEP.saturating_sub(latest.borrow().len());
            if files.len() > room {
                problem.set(Some(format!(
                    "{} {}",
                    ctx.t("photo.too_many"),
                    photo::MAX_PER_STEP
                )));
            } else {
                problem.set(None);
            }
            let files: Vec<_> = files.into_iter().take(room).collect();
            if files.is_empty() {
                return;
            }
            busy.set(files.len());
            let (on_change, busy, problem, latest, ctx) = (
                on_change.clone(),
                busy.clone(),
                problem.clone(),
                latest.clone(),
                ctx.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let mut failed = Vec::new();
                for f in files {
                    match downscale(&f).await {
                        Ok(data) => {
                            let mut next = latest.borrow().clone();
                            next.push(PhotoIn { data });
                            *latest.borrow_mut() = next.clone();
                            on_change.emit(next);
                        }
                        Err(_) => failed.push(f.name()),
                    }
                }
                busy.set(0);
                if !failed.is_empty() {
                    problem.set(Some(format!(
                        "{}: {}",
                        ctx.t("photo.unreadable"),
                        failed.join("、")
                    )));
                }
            });
        })
    };
    let remove = |i: usize| {
        let (on_change, photos) = (p.on_change.clone(), p.photos.clone());
        Callback::from(move |_| {
            let mut next = photos.clone();
            next.remove(i);
            on_change.emit(next);
        })
    };
    let error = p.error.clone().or_else(|| (*problem).clone());
    html! {
        <div class={classes!("field", "photos", error.is_some().then_some("has-error"))}>
            <span class="label">{ ctx.t("photo.photos") }</span>
            <div class="photo-buttons">
                <label class="button secondary">
                    { ctx.t("photo.take") }
                    <input id={format!("{}-camera", p.id)} type="file" accept="image/*" capture="environment" class="visually-hidden" onchange={on_files.clone()} />
                </label>
                <label class="button secondary">
                    { ctx.t("photo.pick") }
                    <input id={p.id.clone()} type="file" accept="image/*" multiple=true class="visually-hidden" onchange={on_files} />
                </label>
            </div>
            if *busy > 0 { <p class="hint" aria-live="polite">{ ctx.t("photo.processing") }</p> }
            if !p.photos.is_empty() {
                <ul class="thumbs">
                    { for p.photos.iter().enumerate().map(|(i, ph)| html! {
                        <li>
                            <img src={format!("data:image/jpeg;base64,{}", ph.data)} alt={format!("{} {}", ctx.t("photo.photo"), i + 1)} />
                            <button type="button" class="secondary small" onclick={remove(i)} aria-label={format!("{} {}", ctx.t("photo.remove"), i + 1)}>{ "×" }</button>
                        </li>
                    }) }
                </ul>
            }
            <p class="hint">{ ctx.t("photo.hint") }</p>
            if let Some(e) = error { <p class="error" role="alert">{ e }</p> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct StoredPhotoProps {
    pub id: AttrValue,
    pub alt: AttrValue,
}

/// A stored photo, loaded when shown.
#[component]
pub fn StoredPhoto(p: &StoredPhotoProps) -> Html {
    let ctx = use_app();
    let src = use_state(|| None::<String>);
    {
        let (ctx, src) = (ctx.clone(), src.clone());
        use_effect_with(p.id.clone(), move |id| {
            let id = id.to_string();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Response::Photo(ph)) = ctx.call(Request::GetPhoto { id }).await {
                    // Only image types the store accepted are ever stored.
                    let mime = if ph.mime == "image/png" {
                        "image/png"
                    } else {
                        "image/jpeg"
                    };
                    src.set(Some(format!("data:{mime};base64,{}", ph.data)));
                }
            });
        });
    }
    match &*src {
        Some(s) => html! { <img class="photo" src={s.clone()} alt={p.alt.clone()} /> },
        None => html! { <span class="photo loading" aria-busy="true"></span> },
    }
}
