//! One chart on the page: the SVG text the worker drew, parsed as XML (never as HTML) and
//! copied into the page keeping only drawing elements and their presentation attributes. The
//! worker's drawing code already escapes every label; this is the second wall, so a grid named
//! `<img src=x onerror=…>` can only ever be text.

use wasm_bindgen::JsCast;
use web_sys::{DomParser, Element, SupportedType};
use yew::prelude::*;

const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "rect",
    "path",
    "line",
    "polyline",
    "polygon",
    "circle",
    "ellipse",
    "text",
    "tspan",
    "title",
    "defs",
    "lineargradient",
    "stop",
    "clippath",
];

fn allowed_attr(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    !(n.starts_with("on") || n.contains("href") || n == "style" || n.starts_with("xmlns:"))
}

/// A clean copy of `src` (an element of the parsed SVG document) made in `doc`, or None for an
/// element that is not drawing.
fn clean(doc: &web_sys::Document, src: &Element) -> Option<Element> {
    let tag = src.tag_name();
    if !ELEMENTS.contains(&tag.to_ascii_lowercase().as_str()) {
        return None;
    }
    let out = doc
        .create_element_ns(Some("http://www.w3.org/2000/svg"), &tag)
        .ok()?;
    let attrs = src.attributes();
    for i in 0..attrs.length() {
        if let Some(a) = attrs.item(i) {
            if allowed_attr(&a.name()) {
                let _ = out.set_attribute(&a.name(), &a.value());
            }
        }
    }
    let kids = src.child_nodes();
    for i in 0..kids.length() {
        let Some(k) = kids.item(i) else { continue };
        if k.node_type() == web_sys::Node::TEXT_NODE {
            let t = doc.create_text_node(&k.text_content().unwrap_or_default());
            let _ = out.append_child(&t);
        } else if let Ok(e) = k.dyn_into::<Element>() {
            if let Some(c) = clean(doc, &e) {
                let _ = out.append_child(&c);
            }
        }
    }
    Some(out)
}

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub id: AttrValue,
    pub title: AttrValue,
    pub svg: AttrValue,
    /// Shown when the SVG could not be drawn or read.
    pub failed: AttrValue,
}

#[component]
pub fn Chart(p: &ChartProps) -> Html {
    let host = use_node_ref();
    let ok = use_state(|| true);
    {
        let (host, ok) = (host.clone(), ok.clone());
        use_effect_with(p.svg.clone(), move |svg| {
            let shown = (|| {
                let el = host.cast::<Element>()?;
                let doc = web_sys::window()?.document()?;
                el.set_inner_html("");
                if svg.is_empty() {
                    return None;
                }
                let parsed = DomParser::new()
                    .ok()?
                    .parse_from_string(svg, SupportedType::ImageSvgXml)
                    .ok()?;
                let root = parsed.document_element()?;
                if root.tag_name() != "svg" {
                    return None; // a parse error comes back as <parsererror>
                }
                let svg = clean(&doc, &root)?;
                svg.set_attribute("role", "img").ok()?;
                el.append_child(&svg).ok()?;
                Some(())
            })();
            ok.set(shown.is_some());
        });
    }
    html! {
        <figure class="card chart" id={format!("chart-{}", p.id)}>
            <figcaption><h3>{ p.title.clone() }</h3></figcaption>
            <div class="chart-svg" ref={host} aria-label={p.title.clone()}></div>
            if !*ok { <p class="hint">{ p.failed.clone() }</p> }
        </figure>
    }
}
