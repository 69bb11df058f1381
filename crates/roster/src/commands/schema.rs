//! `roster schema <connector> [--ui]` and `roster schema --all --out DIR`

use std::path::Path;

use anyhow::{Context, Result, bail};
use roster_core::Registry;

use roster_engine::{exit, form};

/// Prints one connector's credentials schema, or with `ui` its whole form.
pub fn run(registry: &Registry, connector: &str, ui: bool) -> Result<u8> {
    let Some(d) = registry.get(connector) else {
        bail!("unknown connector `{connector}`; registered connectors: {}", registry.ids().join(", "));
    };
    let out = if ui { form::of(d) } else { (d.credentials_schema)() };
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(exit::OK)
}

/// Writes `DIR/<id>.json` (schema, uiSchema and form props) for every
/// registered connector.
pub fn write_all(registry: &Registry, dir: &Path) -> Result<u8> {
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    for d in registry.iter() {
        let path = dir.join(format!("{}.json", d.id));
        let text = serde_json::to_string_pretty(&form::of(d))? + "\n";
        std::fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))?;
        println!("{}", path.display());
    }
    Ok(exit::OK)
}
