//! The JSON Schema of the bundle format, made from [`super::tables::TABLES`] so it cannot drift
//! from the code. The committed copy is `assets/bundle.schema.json` (a test keeps them equal;
//! `gridledger schema` prints it).

use super::tables::{Kind, TABLES};
use super::{FORMAT, MIN_VERSION, VERSION};
use serde_json::{json, Map, Value};

const UUID: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
const COMMUNITY: &str = "^[0-9]{12}$";

fn column_schema(name: &str, kind: Kind) -> Value {
    let id_like = name == "id" || name == "updated_by" || name.ends_with("_id");
    match (kind, name) {
        (_, "community_code") => json!({"type": "string", "pattern": COMMUNITY}),
        (Kind::Text, _) if id_like => json!({"type": "string", "pattern": UUID}),
        (Kind::OptText, _) if id_like => {
            json!({"oneOf": [{"type": "string", "pattern": UUID}, {"type": "null"}]})
        }
        (Kind::Text, _) => json!({"type": "string"}),
        (Kind::OptText, _) => json!({"type": ["string", "null"]}),
        (Kind::Int, "created_at" | "updated_at") => json!({"type": "integer", "minimum": 1}),
        (Kind::Int, _) => json!({"type": "integer", "minimum": 0}),
        (Kind::OptInt, _) => json!({"type": ["integer", "null"]}),
        (Kind::Bool, _) => json!({"type": "boolean"}),
        (Kind::Bytes, _) => json!({"type": "string", "contentEncoding": "base64"}),
    }
}

pub fn schema() -> Value {
    let mut tables = Map::new();
    let mut defs = Map::new();
    for t in TABLES {
        let mut props = Map::new();
        let mut required = Vec::new();
        for c in t.all_columns() {
            props.insert(c.name.into(), column_schema(c.name, c.kind));
            // A column added after its table is absent from the older versions' bundles.
            if c.since <= t.since {
                required.push(Value::String(c.name.into()));
            }
        }
        defs.insert(
            t.name.into(),
            json!({
                "type": "object",
                "properties": props,
                "required": required,
                "additionalProperties": false
            }),
        );
        tables.insert(
            t.name.into(),
            json!({"type": "array", "items": {"$ref": format!("#/$defs/{}", t.name)}}),
        );
    }
    let table_names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gridledger.example/bundle.schema.json",
        "title": "GridLedger bundle (网格台账数据包)",
        "description": format!("Format {FORMAT} version {VERSION}. See docs/bundle-format.md."),
        "type": "object",
        "required": ["format", "version", "exported_at", "device", "device_name", "actor",
                     "sequence", "source", "scope", "masked", "counts", "checksum", "tables"],
        "additionalProperties": false,
        "properties": {
            "format": {"const": FORMAT},
            "version": {"type": "integer", "minimum": MIN_VERSION, "maximum": VERSION},
            "exported_at": {"type": "integer", "minimum": 1},
            "device": {"type": "string", "pattern": UUID},
            "device_name": {"type": "string"},
            "actor": {"type": "string"},
            "sequence": {"type": "integer", "minimum": 1},
            "source": {
                "type": "object",
                "required": ["kind", "code", "name"],
                "additionalProperties": false,
                "properties": {
                    "kind": {"enum": ["community", "street"]},
                    "code": {"type": "string", "pattern": "^[0-9]{9}([0-9]{3})?$"},
                    "name": {"type": "string"}
                }
            },
            "scope": {
                "type": "object",
                "required": ["communities", "grid_id", "since", "after_sequence"],
                "additionalProperties": false,
                "properties": {
                    "communities": {"type": "array", "minItems": 1,
                                    "items": {"type": "string", "pattern": COMMUNITY}},
                    "grid_id": {"oneOf": [{"type": "string", "pattern": UUID}, {"type": "null"}]},
                    "since": {"type": ["integer", "null"]},
                    "after_sequence": {"type": ["integer", "null"], "minimum": 0},
                    "field": {
                        "type": "object",
                        "required": ["staff_id", "staff_name", "grid_ids", "grid_names"],
                        "additionalProperties": false,
                        "properties": {
                            "staff_id": {"type": "string", "pattern": UUID},
                            "staff_name": {"type": "string"},
                            "grid_ids": {"type": "array", "items": {"type": "string", "pattern": UUID}},
                            "grid_names": {"type": "array", "items": {"type": "string"}},
                            "returning": {"type": "boolean"}
                        }
                    }
                }
            },
            "masked": {
                "type": "object",
                "propertyNames": {"enum": table_names},
                "additionalProperties": {"type": "array", "items": {"type": "string"}}
            },
            "counts": {
                "type": "object",
                "propertyNames": {"enum": table_names},
                "additionalProperties": {"type": "integer", "minimum": 0}
            },
            "checksum": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
            "tables": {
                "type": "object",
                "properties": tables,
                "additionalProperties": false
            }
        },
        "$defs": defs
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_schema_is_the_generated_one() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/bundle.schema.json");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        let generated = serde_json::to_string_pretty(&super::schema()).unwrap() + "\n";
        if committed != generated {
            if std::env::var_os("GRIDLEDGER_WRITE_SCHEMA").is_some() {
                std::fs::write(path, &generated).unwrap();
            } else {
                panic!(
                    "assets/bundle.schema.json is stale: run GRIDLEDGER_WRITE_SCHEMA=1 cargo test"
                );
            }
        }
    }
}
