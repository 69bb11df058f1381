//! Field coverage: which normalized fields a connector fills, and from where.

use serde::Serialize;

/// A field of the normalized [`User`](crate::User) record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Id,
    Email,
    Name,
    Status,
    LastVisitAt,
    Roles,
    LicenseTypes,
    Attributes,
}

impl Field {
    /// Every field, in the order reports list them.
    pub const ALL: [Field; 8] = [
        Field::Id,
        Field::Email,
        Field::Name,
        Field::Status,
        Field::LastVisitAt,
        Field::Roles,
        Field::LicenseTypes,
        Field::Attributes,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Email => "email",
            Field::Name => "name",
            Field::Status => "status",
            Field::LastVisitAt => "last_visit_at",
            Field::Roles => "roles",
            Field::LicenseTypes => "license_types",
            Field::Attributes => "attributes",
        }
    }
}

/// One field a connector provides, with the vendor source it comes from.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FieldCoverage {
    pub field: Field,
    /// Where the value comes from, in the vendor's terms, for example
    /// `GET /api/members: last_activity_log.created_at`.
    pub source: &'static str,
}

impl FieldCoverage {
    pub const fn new(field: Field, source: &'static str) -> Self {
        Self { field, source }
    }
}
