//! The INI syntax of Alibaba's credentials file: `[section]` headers, `key = value` lines,
//! `#` starting a comment anywhere on a line, `;` starting a comment line. Errors give the
//! line number and never the line's text, which may hold a secret.

use std::collections::HashMap;

/// The sections of a file, each a map of keys to values.
#[derive(Debug, Default)]
pub(crate) struct Ini {
    sections: HashMap<String, HashMap<String, String>>,
}

impl Ini {
    /// Parses `text`; the error says which line is wrong and how.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let mut ini = Self::default();
        let mut current: Option<String> = None;
        for (index, raw_line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let number = index + 1;
            let line = raw_line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() || line.starts_with(';') {
                continue;
            }
            if let Some(header) = line.strip_prefix('[') {
                let name = header
                    .strip_suffix(']')
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .ok_or_else(|| format!("line {number}: a section header must look like `[name]`"))?;
                if ini.sections.insert(name.to_owned(), HashMap::new()).is_some() {
                    return Err(format!("line {number}: section [{name}] appears twice"));
                }
                current = Some(name.to_owned());
                continue;
            }
            let (key, value) = line
                .split_once('=')
                .map(|(key, value)| (key.trim(), value.trim()))
                .filter(|(key, _)| !key.is_empty())
                .ok_or_else(|| format!("line {number}: expected `key = value`, `[section]` or a comment"))?;
            let section =
                current.as_ref().ok_or_else(|| format!("line {number}: `{key}` comes before any [section] header"))?;
            if ini.sections.entry(section.clone()).or_default().insert(key.to_owned(), value.to_owned()).is_some() {
                return Err(format!("line {number}: `{key}` appears twice in section [{section}]"));
            }
        }
        Ok(ini)
    }

    /// The keys and values of section `name`.
    pub(crate) fn section(&self, name: &str) -> Option<&HashMap<String, String>> {
        self.sections.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_keys_and_comments() {
        let ini = Ini::parse(
            "\u{feff}; comment line\n# another\n[default]\ntype = access_key # inline\nempty =\n\n[ other ]\nk=v\n",
        )
        .unwrap();
        let default = ini.section("default").unwrap();
        assert_eq!(default["type"], "access_key");
        assert_eq!(default["empty"], "");
        assert_eq!(ini.section("other").unwrap()["k"], "v");
        assert!(ini.section("missing").is_none());
    }

    #[test]
    fn errors_name_the_line_not_its_text() {
        assert_eq!(
            Ini::parse("[a]\nsecret-without-equals\n").unwrap_err(),
            "line 2: expected `key = value`, `[section]` or a comment"
        );
        assert!(Ini::parse("k = v\n").unwrap_err().starts_with("line 1: `k` comes before"));
        assert!(Ini::parse("[a]\n[a]\n").unwrap_err().contains("appears twice"));
        assert!(Ini::parse("[a]\nk=1\nk=2\n").unwrap_err().contains("line 3: `k` appears twice"));
        assert!(Ini::parse("[a\n").unwrap_err().contains("line 1"));
    }
}
