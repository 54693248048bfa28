//! Small reusable pieces: labelled fields whose errors sit next to them, and the page shell.

use yew::prelude::*;

pub fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

pub fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub placeholder: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    /// The id of a `<datalist>` of suggestions.
    #[prop_or_default]
    pub list: Option<AttrValue>,
}

/// A text input with its label, an optional hint, and its error right below it.
#[component]
pub fn Field(p: &FieldProps) -> Html {
    let err_id = format!("{}-error", p.id);
    let hint_id = format!("{}-hint", p.id);
    let oninput = {
        let cb = p.oninput.clone();
        Callback::from(move |e: InputEvent| cb.emit(input_value(&e)))
    };
    let described = match (&p.error, &p.hint) {
        (Some(_), _) => Some(err_id.clone()),
        (None, Some(_)) => Some(hint_id.clone()),
        _ => None,
    };
    html! {
        <div class={classes!("field", p.error.is_some().then_some("has-error"))}>
            <label for={p.id.clone()}>{ &p.label }{ if p.required { html!{<span class="req" aria-hidden="true">{" *"}</span>} } else { html!{} } }</label>
            <input id={p.id.clone()} name={p.id.clone()} type={p.kind.clone()} value={p.value.clone()} {oninput}
                required={p.required} placeholder={p.placeholder.clone()}
                inputmode={p.inputmode.clone()} autocomplete={p.autocomplete.clone()} list={p.list.clone()}
                aria-invalid={p.error.is_some().then_some("true")}
                aria-describedby={described} />
            if let Some(h) = &p.hint { <p class="hint" id={hint_id}>{ h }</p> }
            if let Some(e) = &p.error { <p class="error" id={err_id} role="alert">{ e }</p> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub options: Vec<(String, String)>,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub required: bool,
}

#[component]
pub fn SelectField(p: &SelectProps) -> Html {
    let err_id = format!("{}-error", p.id);
    let onchange = {
        let cb = p.onchange.clone();
        Callback::from(move |e: Event| cb.emit(select_value(&e)))
    };
    html! {
        <div class={classes!("field", p.error.is_some().then_some("has-error"))}>
            <label for={p.id.clone()}>{ &p.label }{ if p.required { html!{<span class="req" aria-hidden="true">{" *"}</span>} } else { html!{} } }</label>
            <select id={p.id.clone()} name={p.id.clone()} {onchange}
                aria-invalid={p.error.is_some().then_some("true")}
                aria-describedby={p.error.is_some().then_some(err_id.clone())}>
                { for p.options.iter().map(|(v, l)| html!{ <option value={v.clone()} selected={*v == *p.value}>{ l }</option> }) }
            </select>
            if let Some(e) = &p.error { <p class="error" id={err_id} role="alert">{ e }</p> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct BannerProps {
    pub text: String,
    #[prop_or(AttrValue::Static("error"))]
    pub kind: AttrValue,
}

#[component]
pub fn Banner(p: &BannerProps) -> Html {
    html! { <div class={classes!("banner", p.kind.to_string())} role={if p.kind == "error" { "alert" } else { "status" }}>{ &p.text }</div> }
}

#[derive(Properties, PartialEq)]
pub struct PagerProps {
    /// The current page, from 0.
    pub page: u32,
    pub pages: u32,
    pub on_page: Callback<u32>,
    pub label: AttrValue,
    pub prev: AttrValue,
    pub next: AttrValue,
}

/// Previous / "n / m" / next, for the paged lists.
#[component]
pub fn Pager(p: &PagerProps) -> Html {
    let go = |n: u32| {
        let on_page = p.on_page.clone();
        Callback::from(move |_| on_page.emit(n))
    };
    html! {
        <nav class="pager" aria-label={p.label.clone()}>
            <button type="button" disabled={p.page == 0} onclick={go(p.page.saturating_sub(1))}>{ &p.prev }</button>
            <span>{ format!("{} / {}", p.page + 1, p.pages) }</span>
            <button type="button" disabled={p.page + 1 >= p.pages} onclick={go(p.page + 1)}>{ &p.next }</button>
        </nav>
    }
}

/// Saves a blob as a file: the browser's download, under `name`.
pub fn download(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    let doc = gloo::utils::document();
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = wasm_bindgen::JsCast::unchecked_into(a);
        a.set_href(&url);
        a.set_download(name);
        let _ = gloo::utils::body().append_child(&a);
        a.click();
        a.remove();
    }
    // The download has its own reference; free ours a little later.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}
