//! `roster connectors [--json]`

use anyhow::Result;
use roster_core::Registry;
use roster_core::schema::form_fields;
use serde_json::{Value, json};

use roster_engine::exit;

pub fn run(registry: &Registry, as_json: bool) -> Result<u8> {
    let list: Vec<Value> = registry
        .iter()
        .map(|d| {
            let schema = (d.credentials_schema)();
            let fields: Vec<Value> = form_fields(&schema)
                .iter()
                .map(|f| {
                    json!({
                        "name": f.name,
                        "title": f.schema.get("title"),
                        "required": f.required && f.condition.is_none(),
                        "secret": f.is_secret(),
                        "only_when": f.condition.as_ref().map(|c| json!({c.switch: c.value})),
                    })
                })
                .collect();
            json!({
                "id": d.id,
                "name": d.display_name,
                "description": d.description,
                "coverage": d.coverage.iter().map(|c| json!({"field": c.field.as_str(), "source": c.source})).collect::<Vec<_>>(),
                "credential_fields": fields,
            })
        })
        .collect();
    if as_json {
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(exit::OK);
    }
    for c in &list {
        println!("{}  {}", c["id"].as_str().unwrap_or(""), c["name"].as_str().unwrap_or(""));
        println!("  {}", c["description"].as_str().unwrap_or(""));
        println!("  credentials:");
        for f in c["credential_fields"].as_array().into_iter().flatten() {
            let mut tags = Vec::new();
            if f["required"] == true {
                tags.push("required");
            }
            if f["secret"] == true {
                tags.push("secret");
            }
            println!(
                "    {:<14} {} [{}]",
                f["name"].as_str().unwrap_or(""),
                f["title"].as_str().unwrap_or(""),
                tags.join(", ")
            );
        }
        println!("  fields:");
        for cov in c["coverage"].as_array().into_iter().flatten() {
            println!(
                "    {:<14} {}",
                cov["field"].as_str().unwrap_or(""),
                cov["source"].as_str().unwrap_or("")
            );
        }
    }
    Ok(exit::OK)
}
