//! Spec prose to rustdoc: OpenMeta descriptions are Markdown with Alibaba doc-link
//! placeholders (`~~94475~~`), stray HTML and code blocks; rustdoc needs real links, no raw
//! HTML, and no code block that it would try to compile as a Rust doctest. HTML entities
//! (`&#x20;`) are valid Markdown and stay.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
use std::ops::Range;

/// Where Alibaba's numbered documentation pages live.
const DOC_PAGE: &str = "https://www.alibabacloud.com/help/en/doc-detail/";

/// Turns a spec description into rustdoc Markdown, or `None` when nothing is left.
pub fn rustdoc(text: &str) -> Option<String> {
    let text = separate_lazy_continuations(&resolve_doc_links(text.trim()).replace('\t', "    "));
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (event, range) in Parser::new(&text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                let range = text[..range.start].rfind('\n').map_or(0, |i| i + 1)..range.end;
                let code: Vec<&str> =
                    text[range.clone()].lines().map(|l| l.strip_prefix("    ").unwrap_or(l.trim_start())).collect();
                edits.push((range, format!("```text\n{}\n```\n", code.join("\n").trim_end())));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if is_rust_by_default(&lang) => {
                let fence_end = text[range.clone()].find('\n').map_or(range.end, |i| range.start + i);
                let fence = text[range.start..fence_end].trim_end_matches(|c: char| c.is_alphanumeric() || c == ',');
                edits.push((range.start..fence_end, format!("{}text", fence.trim_end())));
            }
            Event::Html(_) | Event::InlineHtml(_) => edits.push((range, String::new())),
            _ => {}
        }
    }
    // Nested events can overlap their block: keep the outermost, apply back to front.
    edits.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = text.clone();
    let mut applied_from = usize::MAX;
    for (range, replacement) in edits.into_iter().rev() {
        if range.end <= applied_from {
            out.replace_range(range.clone(), &replacement);
            applied_from = range.start;
        }
    }
    let out = out.trim();
    (!out.is_empty()).then(|| out.to_owned())
}

/// Puts a blank line before a line that would continue the list item above it without being
/// indented ("lazy continuation", which rustdoc lints): it becomes its own paragraph.
fn separate_lazy_continuations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_item, mut in_fence) = (false, false);
    for line in text.lines() {
        let trimmed = line.trim_start();
        let fence = trimmed.starts_with("```");
        if in_fence {
            in_fence = !fence;
        } else {
            let is_item = is_list_item(trimmed);
            if in_item && !is_item && !trimmed.is_empty() && !line.starts_with(' ') {
                out.push('\n');
            }
            in_fence = fence;
            in_item = is_item || (in_item && !trimmed.is_empty() && line.starts_with(' '));
        }
        out.push_str(line);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

/// `* item`, `- item`, `+ item` or `1. item`.
fn is_list_item(line: &str) -> bool {
    let marker_end = match line.as_bytes().first() {
        Some(b'*' | b'-' | b'+') => 1,
        Some(b) if b.is_ascii_digit() => {
            line.find(|c: char| !c.is_ascii_digit()).filter(|&i| line[i..].starts_with('.')).map_or(0, |i| i + 1)
        }
        _ => 0,
    };
    marker_end > 0 && line[marker_end..].starts_with([' ', '\t'])
}

/// A fenced block with no language, or `rust`, would be compiled as a doctest.
fn is_rust_by_default(lang: &str) -> bool {
    let first = lang.split(',').next().unwrap_or("").trim();
    first.is_empty() || first == "rust"
}

/// `[text](~~94475~~)` → `[text](https://…/94475.html)`; a bare `~~94475~~` becomes an
/// autolink.
fn resolve_doc_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("~~") {
        let after = &rest[start + 2..];
        let digits = after.find("~~").filter(|&end| end > 0 && after[..end].bytes().all(|b| b.is_ascii_digit()));
        let Some(end) = digits else {
            out.push_str(&rest[..start + 2]);
            rest = after;
            continue;
        };
        let in_link = rest[..start].ends_with("](");
        out.push_str(&rest[..start]);
        let url = format!("{DOC_PAGE}{}.html", &after[..end]);
        if in_link {
            out.push_str(&url);
        } else {
            out.push('<');
            out.push_str(&url);
            out.push('>');
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A one-paragraph form of `text` for places that need one line (the first sentence-block).
pub fn first_paragraph(text: &str) -> String {
    text.split("\n\n").next().unwrap_or(text).replace('\n', " ")
}

/// Makes text safe inside a rustdoc line: escapes brackets so `[%s]` is not read as a link.
pub fn escape_brackets(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_links_become_urls() {
        assert_eq!(
            rustdoc("See [Overview](~~418507~~) or ~~36063~~.").unwrap(),
            "See [Overview](https://www.alibabacloud.com/help/en/doc-detail/418507.html) or <https://www.alibabacloud.com/help/en/doc-detail/36063.html>."
        );
        assert_eq!(rustdoc("~~not a link~~ ~~").unwrap(), "~~not a link~~ ~~");
    }

    #[test]
    fn code_blocks_never_become_doctests() {
        assert_eq!(rustdoc("Example:\n\n```\n{\"a\":1}\n```").unwrap(), "Example:\n\n```text\n{\"a\":1}\n```");
        assert_eq!(rustdoc("```rust\nlet x;\n```").unwrap(), "```text\nlet x;\n```");
        assert_eq!(rustdoc("```json\n{}\n```").unwrap(), "```json\n{}\n```");
        assert_eq!(
            rustdoc("Para.\n\n    indented code\n    more\n\nEnd.").unwrap(),
            "Para.\n\n```text\nindented code\nmore\n```\n\nEnd."
        );
        let list = "*   item\n\n    *   nested item";
        assert_eq!(rustdoc(list).unwrap(), list);
    }

    #[test]
    fn lazy_list_continuations_become_paragraphs_and_tabs_spaces() {
        assert_eq!(rustdoc("*   item\nlazy line\n\nnext").unwrap(), "*   item\n\nlazy line\n\nnext");
        assert_eq!(rustdoc("1. one\n    indented\n2. two").unwrap(), "1. one\n    indented\n2. two");
        assert_eq!(rustdoc("a\tb").unwrap(), "a    b");
        assert_eq!(rustdoc("- a\n```\ncode\n```").unwrap(), "- a\n\n```text\ncode\n```");
    }

    #[test]
    fn html_is_removed_and_entities_kept() {
        assert_eq!(rustdoc("A<b>B</b>&#x20;C &lt;D&gt;<br/>").unwrap(), "AB&#x20;C &lt;D&gt;");
        assert_eq!(rustdoc("<notice>only html</notice>").unwrap(), "only html");
        assert_eq!(rustdoc("   \n"), None);
    }
}
