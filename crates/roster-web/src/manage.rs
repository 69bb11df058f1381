//! The Edit and Delete buttons of an account page's header, for an account
//! that has a file (one that is only in the store has nothing to edit).

use maud::{Markup, html};

pub fn buttons(id: &str, configured: bool) -> Markup {
    html! {
        @if configured {
            p.manage {
                a.button.edit href={ "/accounts/" (id) "/edit" } { "Edit" }
                " "
                a.button.delete href={ "/accounts/" (id) "/delete" } { "Delete" }
            }
        }
    }
}
