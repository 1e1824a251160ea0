//! What changed between two versions of a spec, for maintainers reviewing an update of
//! Alibaba's metadata before regenerating: operations, parameters, response fields, error
//! codes and objects added, removed or changed, each marked when it breaks code that uses the
//! generated crate.
//!
//! Response structs and error enums are `#[non_exhaustive]`, so a field or a code added to
//! them breaks nothing; request fields change type with `required` (`T` or `Option<T>`), and
//! the objects in `types` can be built with struct literals, so a field added there breaks
//! literals without `..Default::default()`.

use crate::ir::{ErrorCode, Field, Location, Operation, Param, Service, Struct, Style, Type};
use std::collections::BTreeMap;
use std::fmt;

/// One difference between two versions of a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Code that uses the crate generated from the old version may not compile against the new.
    pub breaking: bool,
    /// What changed, e.g. "`RejectVpcPeerConnection`: parameter `DryRun` removed".
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.breaking { "breaking" } else { "        " };
        write!(f, "{mark}  {}", self.what)
    }
}

/// Every change from `old` to `new`: operations in action order, then objects in name order.
pub fn changes(old: &Service, new: &Service) -> Vec<Change> {
    let mut out = Vec::new();
    let operations = |s| keyed(s, |op: &Operation| &op.action);
    let pairs = paired(operations(&old.operations), operations(&new.operations));
    compare(pairs, |action| format!("operation `{action}`"), operation_changes, &mut out);
    let structs = |s| keyed(s, |st: &Struct| &st.name);
    let pairs = paired(structs(&old.structs), structs(&new.structs));
    compare(pairs, |name| format!("object `types::{name}`"), struct_changes, &mut out);
    out
}

/// For each name: removed (breaking) or added, as `what` calls it, or compared by `both`.
fn compare<T>(
    pairs: BTreeMap<&str, Paired<&T>>,
    what: impl Fn(&str) -> String,
    both: impl Fn(&T, &T, &mut Vec<Change>),
    out: &mut Vec<Change>,
) {
    for (name, pair) in pairs {
        match pair {
            Paired::Old(_) => out.push(breaking(format!("{} removed", what(name)))),
            Paired::New(_) => out.push(compatible(format!("{} added", what(name)))),
            Paired::Both(old, new) => both(old, new, out),
        }
    }
}

fn operation_changes(old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let action = &new.action;
    if old.method != new.method {
        out.push(breaking(format!("`{action}`: now the method `{}` (was `{}`)", new.method, old.method)));
    }
    if old.read_only != new.read_only {
        let kind = if new.read_only { "read-only" } else { "not read-only" };
        out.push(compatible(format!("`{action}`: now {kind} (changes which failures are retried)")));
    }
    let params = |p| keyed(p, |p: &Param| &p.wire_name);
    for (name, pair) in paired(params(&old.params), params(&new.params)) {
        match pair {
            Paired::Old(_) => out.push(breaking(format!("`{action}`: parameter `{name}` removed"))),
            Paired::New(p) if p.required => {
                out.push(breaking(format!("`{action}`: required parameter `{name}` added")));
            }
            Paired::New(_) => out.push(compatible(format!("`{action}`: optional parameter `{name}` added"))),
            Paired::Both(old, new) => param_changes(action, old, new, out),
        }
    }
    for (name, pair) in paired(fields(&old.response), fields(&new.response)) {
        let place = format!("`{action}`: response field `{name}`");
        field_pair_changes(&place, pair, false, out);
    }
    let errors = |e| keyed(e, |e: &ErrorCode| &e.code);
    for (code, pair) in paired(errors(&old.errors), errors(&new.errors)) {
        match pair {
            Paired::Old(e) => {
                out.push(breaking(format!("`{action}`: error code `{code}` removed (variant `{}`)", e.variant)))
            }
            Paired::New(e) => out.push(compatible(format!(
                "`{action}`: error code `{code}` added (variant `{}`; it was `Unhandled`)",
                e.variant
            ))),
            // Another code taking a variant's name renumbers the variants after it.
            Paired::Both(old, new) if old.variant != new.variant => out.push(breaking(format!(
                "`{action}`: error code `{code}` is now variant `{}` (was `{}`)",
                new.variant, old.variant
            ))),
            Paired::Both(..) => {}
        }
    }
}

fn param_changes(action: &str, old: &Param, new: &Param, out: &mut Vec<Change>) {
    let name = &new.wire_name;
    // Another parameter taking a name renumbers the Rust names after it.
    if old.rust_name != new.rust_name {
        out.push(breaking(format!(
            "`{action}`: parameter `{name}` is now set with `{}` (was `{}`)",
            new.rust_name, old.rust_name
        )));
    }
    if old.ty != new.ty {
        out.push(breaking(format!("`{action}`: parameter `{name}` is now {} (was {})", show(&new.ty), show(&old.ty))));
    }
    if old.required != new.required {
        let now = if new.required { "required" } else { "optional" };
        out.push(breaking(format!("`{action}`: parameter `{name}` is now {now}")));
    }
    if (old.location, old.style) != (new.location, new.style) {
        out.push(compatible(format!("`{action}`: parameter `{name}` is now sent {}", wire_form(new))));
    }
    if !old.deprecated && new.deprecated {
        out.push(compatible(format!("`{action}`: parameter `{name}` deprecated")));
    }
}

fn struct_changes(old: &Struct, new: &Struct, out: &mut Vec<Change>) {
    for (name, pair) in paired(fields(&old.fields), fields(&new.fields)) {
        let place = format!("object `types::{}`: field `{name}`", new.name);
        field_pair_changes(&place, pair, true, out);
    }
}

/// A field removed, added or retyped; `constructible` for objects callers build themselves.
fn field_pair_changes(place: &str, pair: Paired<&Field>, constructible: bool, out: &mut Vec<Change>) {
    match pair {
        Paired::Old(_) => out.push(breaking(format!("{place} removed"))),
        Paired::New(_) if constructible => {
            out.push(breaking(format!("{place} added (struct literals need `..Default::default()`)")));
        }
        Paired::New(_) => out.push(compatible(format!("{place} added"))),
        Paired::Both(old, new) => {
            if old.rust_name != new.rust_name {
                out.push(breaking(format!("{place} is now the field `{}` (was `{}`)", new.rust_name, old.rust_name)));
            }
            if old.ty != new.ty {
                out.push(breaking(format!("{place} is now {} (was {})", show(&new.ty), show(&old.ty))));
            }
            if old.required != new.required && constructible {
                let now = if new.required { "required in requests" } else { "no longer required" };
                out.push(compatible(format!("{place} is now {now}")));
            }
        }
    }
}

fn fields(fields: &[Field]) -> BTreeMap<&str, &Field> {
    keyed(fields, |f| &f.wire_name)
}

/// `items` by the name `key` gives each.
fn keyed<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> &'a String) -> BTreeMap<&'a str, &'a T> {
    items.iter().map(|item| (key(item).as_str(), item)).collect()
}

/// What one of the two versions has under a name.
enum Paired<V> {
    Old(V),
    New(V),
    Both(V, V),
}

/// The names of both versions in order, with what each version has under them.
fn paired<'a, V>(old: BTreeMap<&'a str, V>, mut new: BTreeMap<&'a str, V>) -> BTreeMap<&'a str, Paired<V>> {
    let mut pairs = BTreeMap::new();
    for (key, value) in old {
        let pair = match new.remove(key) {
            Some(other) => Paired::Both(value, other),
            None => Paired::Old(value),
        };
        pairs.insert(key, pair);
    }
    for (key, value) in new {
        pairs.insert(key, Paired::New(value));
    }
    pairs
}

/// Where and how a parameter travels, e.g. "in the query, joined with `,`".
fn wire_form(param: &Param) -> String {
    let place = match param.location {
        Location::Query => "in the query",
        Location::Form => "in the form body",
    };
    match param.style {
        Style::Flat => place.to_owned(),
        Style::Joined(separator) => format!("{place}, joined with `{separator}`"),
        Style::Json => format!("{place}, as JSON"),
    }
}

/// A type as the generated code spells it.
fn show(ty: &Type) -> String {
    match ty {
        Type::String => "`String`".to_owned(),
        Type::Int32 => "`i32`".to_owned(),
        Type::Int64 => "`i64`".to_owned(),
        Type::Float => "`f32`".to_owned(),
        Type::Double => "`f64`".to_owned(),
        Type::Boolean => "`bool`".to_owned(),
        Type::Json => "`serde_json::Value`".to_owned(),
        Type::List(item) => format!("a list of {}", show(item)),
        Type::Map(value) => format!("a map to {}", show(value)),
        Type::Struct(name) => format!("`types::{name}`"),
    }
}

fn breaking(what: String) -> Change {
    Change { breaking: true, what }
}

fn compatible(what: String) -> Change {
    Change { breaking: false, what }
}
