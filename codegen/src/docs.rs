//! Spec prose to rustdoc: OpenMeta descriptions are Markdown with Alibaba doc-link
//! placeholders (`~~94475~~`, `~~CreateProject~~`), site variants (`<props="china">`), stray
//! HTML and code blocks; rustdoc needs real links, one site's text, no raw HTML, and no code
//! block that it would try to compile as a Rust doctest. HTML entities (`&#x20;`) are valid
//! Markdown and stay.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// Alibaba's international documentation site, which the links point to.
const SITE: &str = "https://www.alibabacloud.com";

/// Where Alibaba's numbered documentation pages live.
const DOC_PAGE: &str = "https://www.alibabacloud.com/help/en/doc-detail/";

/// Turns a spec description into rustdoc Markdown, or `None` when nothing is left (also for
/// a placeholder that is a JSON path, `$.parameters[15].schema…description`, not prose).
pub fn rustdoc(text: &str) -> Option<String> {
    // A lone carriage return would end a `///` line in the middle (rustc refuses it).
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if is_placeholder(text) || is_data(text) {
        return None;
    }
    let text = without_empty_anchors(&without_empty_bold(&international_site_only(text)))
        .replace("](/help/", &format!("]({SITE}/help/"));
    let text = separate_lazy_continuations(&resolve_doc_links(&text).replace('\t', "    "));
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    // Code is shown as it is: brackets in it are not links and need no escape.
    let mut in_code_block = false;
    // The text of a link (an autolink's is its URL) is not linked again.
    let mut in_link = false;
    for (event, range) in Parser::new(&text).into_offset_iter() {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Link { .. }) => in_link = true,
            Event::End(TagEnd::Link) => in_link = false,
            _ => {}
        }
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                let range = line_start(&text, range.start)..range.end;
                let fenced = fence_indented_block(&text[..range.start], &text[range.clone()]);
                edits.push((range, fenced));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if is_rust_by_default(&lang) => {
                let fence_end = text[range.clone()].find('\n').map_or(range.end, |i| range.start + i);
                let marker = fence_marker(&text[range.start..fence_end]);
                edits.push((range.start..fence_end, format!("{marker}text")));
            }
            // A block of something that is not HTML (an XML sample) is kept as text.
            Event::Start(Tag::HtmlBlock) if !is_markup(text[range.clone()].trim_start()) => {
                edits.push((range.clone(), format!("```text\n{}\n```\n", text[range].trim_end())));
            }
            // A block of layout HTML (`<details>`, `<p>`, `<pre>`) keeps its text.
            Event::Start(Tag::HtmlBlock) => edits.push(layout_html_edit(&text, range)),
            Event::Html(_) => edits.push((range, String::new())),
            // A paragraph of bare emphasis markers (`**`, left over where a note's heading was
            // converted) says nothing.
            Event::Start(Tag::Paragraph) if matches!(text[range.clone()].trim(), "**" | "__" | "*" | "_") => {
                edits.push((block_lines(&text, range), String::new()))
            }
            // `<InstanceId>` or `<Start port number>` are placeholders, not tags: kept as code.
            Event::InlineHtml(html) if !is_markup(&html) => edits.push((range, format!("`{html}`"))),
            // A line break inside a line (a table cell, a sentence) becomes a space.
            Event::InlineHtml(html) if is_line_break(&html) => edits.push((range, " ".to_owned())),
            Event::InlineHtml(_) => edits.push((range, String::new())),
            // Brackets that did not form a link would be read by rustdoc as intra-doc links,
            // and a bare URL is linted: it becomes an autolink.
            Event::Text(_)
                if !in_code_block
                    && (text[range.clone()].contains(['[', ']']) || has_bare_url(&text[range.clone()])) =>
            {
                let after_backslash = text[..range.start].ends_with('\\');
                let escaped = escape_brackets_from(&text[range.clone()], after_backslash);
                edits.push((range, if in_link { escaped } else { autolink(&escaped) }));
            }
            _ => {}
        }
    }
    // Events inside a replaced block (the text of a code block) give way to the block.
    edits.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut outermost: Vec<(Range<usize>, String)> = Vec::with_capacity(edits.len());
    for edit in edits {
        if outermost.last().is_none_or(|(kept, _)| edit.0.start >= kept.end) {
            outermost.push(edit);
        }
    }
    let mut out = text.clone();
    for (range, replacement) in outermost.into_iter().rev() {
        out.replace_range(range, &replacement);
    }
    let out = close_open_fence(out.trim());
    (!out.is_empty()).then_some(out)
}

/// The edit for a block of layout HTML at `range` of `text`: its text kept
/// ([`markup_block_text`]) in the block's container (a list item, a quote), every later line
/// carrying the container's prefix, and as a paragraph of its own when it interrupts one; the
/// block's whole lines removed when no text is left.
fn layout_html_edit(text: &str, range: Range<usize>) -> (Range<usize>, String) {
    let line_end = if text[range.clone()].ends_with('\n') { "\n" } else { "" };
    let start_of_line = line_start(text, range.start);
    let container = &text[start_of_line..range.start];
    let prefix = continuation_prefix(container);
    // The block is read without the prefix its later lines carry.
    let unprefixed: Vec<&str> = text[range.clone()]
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            0 => line,
            _ => line.strip_prefix(prefix.as_str()).or_else(|| line.strip_prefix(prefix.trim_end())).unwrap_or(line),
        })
        .collect();
    let Some(kept) = markup_block_text(&unprefixed.join("\n")) else {
        return (block_lines(text, range), String::new());
    };
    let lines: Vec<String> = kept
        .lines()
        .enumerate()
        .map(|(i, line)| match (i, line.is_empty()) {
            (0, _) => line.to_owned(),
            (_, true) => prefix.trim_end().to_owned(),
            _ => format!("{prefix}{line}"),
        })
        .collect();
    let plain_container = container.chars().all(|c| c == '>' || c.is_whitespace());
    let previous = text[..start_of_line].lines().last().map(|l| l.trim_start_matches(['>', ' ']).trim());
    let blank =
        if plain_container && previous.is_some_and(|l| !l.is_empty()) { format!("\n{prefix}") } else { String::new() };
    (range, format!("{blank}{}{line_end}", lines.join("\n")))
}

/// Where the line holding byte `at` of `text` starts.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// What the later lines of a block in `container` (the text before the block on its first
/// line) start with: a quote's `>` as it is, a list item's marker and indentation as spaces.
fn continuation_prefix(container: &str) -> String {
    container.chars().map(|c| if c == '>' { c } else { ' ' }).collect()
}

/// The run of backticks or tildes that a fence line (its indentation trimmed) starts with.
fn fence_marker(line: &str) -> &str {
    let line = line.trim_start();
    &line[..line.len() - line.trim_start_matches(['`', '~']).len()]
}

/// The lines of a block at `range` of `text`, to remove it whole: from the start of its line
/// when only indentation comes before it, to the end of the blank line after it (so that
/// neither its indentation nor an extra blank line is left to join the next block).
fn block_lines(text: &str, range: Range<usize>) -> Range<usize> {
    let start_of_line = line_start(text, range.start);
    let start = if text[start_of_line..range.start].trim().is_empty() { start_of_line } else { range.start };
    let end = if text[..range.end].ends_with('\n') {
        range.end
    } else {
        text[range.end..].find('\n').map_or(text.len(), |i| range.end + i + 1)
    };
    let blank_after = text[end..].find('\n').filter(|&i| text[end..end + i].trim().is_empty());
    start..blank_after.map_or(end, |i| end + i + 1)
}

/// `text` with a closing fence added when its last code block runs to the end unclosed, so
/// that what is appended after it (notes, the example) is not swallowed into it.
fn close_open_fence(text: &str) -> String {
    let mut out = text.to_owned();
    for (event, range) in Parser::new(text).into_offset_iter() {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) = event {
            let block = &text[range.clone()];
            let marker = fence_marker(block);
            let closed = block.lines().count() > 1
                && block.lines().last().is_some_and(|last| {
                    let last = last.trim_start_matches(|c: char| c == '>' || c.is_whitespace()).trim_end();
                    last.starts_with(marker) && last.trim_start_matches(marker.as_bytes()[0] as char).is_empty()
                });
            if range.end == text.len() && !closed {
                // At the opening fence's column, inside the same container.
                let fence_at = range.start + (block.len() - block.trim_start().len());
                out.push('\n');
                out.push_str(&continuation_prefix(&text[line_start(text, range.start)..fence_at]));
                out.push_str(marker);
            }
        }
    }
    out
}

/// The text of a block of layout HTML (`<details><summary>Title</summary>…`), its tags
/// dropped: line breaks and the ends of paragraphs, items and summaries end a line, comments
/// go, and a tag that is not layout (`<InstanceId>`) stays as code. A `<pre>` block stays
/// preformatted, as a `text` code block. `None` when no text is left.
fn markup_block_text(block: &str) -> Option<String> {
    let preformatted = block.trim_start().to_ascii_lowercase().starts_with("<pre");
    let mut out = String::with_capacity(block.len());
    let mut rest = block;
    while let Some(start) = rest.find(['<', '`']) {
        out.push_str(&rest[..start]);
        let tag = &rest[start..];
        if tag.starts_with('`') {
            // A code span is kept as it is, `<` and all.
            let ticks = &tag[..tag.len() - tag.trim_start_matches('`').len()];
            let span_end = tag[ticks.len()..].find(ticks).map_or(ticks.len(), |end| 2 * ticks.len() + end);
            out.push_str(&tag[..span_end]);
            rest = &tag[span_end..];
            continue;
        }
        if let Some(comment) = tag.strip_prefix("<!--") {
            rest = comment.split_once("-->").map_or("", |(_, after)| after);
            continue;
        }
        // A `<` that starts no tag (`a < b`, `a<=b`, a tag cut off) is a less-than sign.
        let Some(end) = tag_end(tag) else {
            out.push_str(if preformatted { "<" } else { "&lt;" });
            rest = &tag[1..];
            continue;
        };
        let html = &tag[..=end];
        if !is_markup(html) {
            // Preformatted text shows it as it is; elsewhere it is code.
            out.push_str(&if preformatted { html.to_owned() } else { format!("`{html}`") });
        } else if is_line_break(html)
            || ["</p", "</li", "</summary", "</div", "</tr"].iter().any(|t| html.starts_with(t))
        {
            out.push('\n');
        }
        rest = &tag[end + 1..];
    }
    out.push_str(rest);
    if preformatted {
        let body = out.trim_matches('\n');
        return (!body.trim().is_empty()).then(|| format!("```text\n{body}\n```"));
    }
    let lines: Vec<&str> = out.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    (!lines.is_empty()).then(|| rustdoc(&lines.join("\n\n"))).flatten()
}

/// Where the tag that `text` starts with ends (the index of its `>`): `<name`, `</name`, then
/// white space, `/` or `>`, and no `<` or backtick before the `>`. `None` when `text` starts no
/// tag.
fn tag_end(text: &str) -> Option<usize> {
    let after = text.strip_prefix('<')?;
    let name = after.strip_prefix('/').unwrap_or(after);
    let name_len = name.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(name.len());
    let follows = name[name_len..].chars().next();
    let named = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && follows.is_some_and(|c| c.is_whitespace() || c == '/' || c == '>');
    let end = text.find('>')?;
    (named && !text[1..end].contains(['<', '`'])).then_some(end)
}

/// `text` as inline code: between backtick runs longer than any inside it, with spaces
/// inside when it starts or ends with a backtick.
pub fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// `<br>`, `<br/>` or `<br />`.
fn is_line_break(html: &str) -> bool {
    let name = html.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/').trim();
    name.eq_ignore_ascii_case("br")
}

/// Whether `text` holds an `http://` or `https://` URL.
fn has_bare_url(text: &str) -> bool {
    text.contains("http://") || text.contains("https://")
}

/// `text` with each bare URL in angle brackets (`<https://…>`), without the punctuation that
/// ends a sentence after it.
fn autolink(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut rest = text;
    while let Some(start) = ["http://", "https://"].iter().filter_map(|scheme| rest.find(scheme)).min() {
        let after = &rest[start..];
        let end = after.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"')).unwrap_or(after.len());
        let url = after[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        out.push_str(&rest[..start]);
        // Only a URL with a host: "cannot start with http://" names a scheme, not a link.
        let host = url.split_once("://").map_or("", |(_, host)| host);
        if host.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            out.push('<');
            out.push_str(url);
            out.push('>');
        } else {
            out.push_str(url);
        }
        rest = &after[url.len()..];
    }
    out.push_str(rest);
    out
}

/// The HTML elements (and Alibaba's documentation tags) that spec prose uses for layout:
/// their tags are dropped and their text kept. Any other `<…>` is content.
const MARKUP_TAGS: &str = "a b blockquote br code dd details div dl dt em font h1 h2 h3 h4 h5 h6 hr i img li note \
    notice ol p pre props span strong sub summary sup table tbody td th thead tr ul warning";

/// Whether `html` (starting with `<`) is a comment or a tag of [`MARKUP_TAGS`].
fn is_markup(html: &str) -> bool {
    if html.starts_with("<!--") {
        return true;
    }
    let name: String = html
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    MARKUP_TAGS.split_whitespace().any(|tag| tag == name)
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
pub(crate) fn is_list_item(line: &str) -> bool {
    let marker_end = match line.as_bytes().first() {
        Some(b'*' | b'-' | b'+') => 1,
        Some(b) if b.is_ascii_digit() => {
            line.find(|c: char| !c.is_ascii_digit()).filter(|&i| line[i..].starts_with('.')).map_or(0, |i| i + 1)
        }
        _ => 0,
    };
    marker_end > 0 && line[marker_end..].starts_with([' ', '\t'])
}

/// An indented code block (after `before`) as a `text` fence at the content depth of its
/// container, so that inside a list item it stays there. A block that only wraps a fence
/// indented too deep is unwrapped.
fn fence_indented_block(before: &str, block: &str) -> String {
    // Only spaces indent (tabs are spaces by now); other white space is text.
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let depth = block.lines().filter(|l| !l.trim().is_empty()).map(indent).min().unwrap_or(0);
    let outer = " ".repeat(container_indent(before, depth));
    let mut code: Vec<&str> = block.lines().map(|line| line.get(depth..).unwrap_or("")).collect();
    while code.last().is_some_and(|l| l.trim().is_empty()) {
        code.pop();
    }
    if code.len() >= 2 && code[0].starts_with("```") && code[code.len() - 1].trim() == "```" {
        code = code[1..code.len() - 1].to_vec();
    }
    let body: Vec<String> =
        code.iter().map(|l| if l.is_empty() { String::new() } else { format!("{outer}{l}") }).collect();
    format!("{outer}```text\n{}\n{outer}```\n", body.join("\n"))
}

/// Where the content of the block containing a line indented `depth` starts: the content
/// column of the nearest list item above that is less indented, or that line's indentation.
fn container_indent(before: &str, depth: usize) -> usize {
    for line in before.lines().rev().filter(|l| !l.trim().is_empty()) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent < depth {
            let trimmed = line.trim_start();
            if !is_list_item(trimmed) {
                return indent;
            }
            let marker = trimmed.find([' ', '\t']).unwrap_or(0);
            let gap = trimmed[marker..].len() - trimmed[marker..].trim_start().len();
            return indent + marker + gap;
        }
    }
    0
}

/// A fenced block with no language, or `rust`, would be compiled as a doctest.
fn is_rust_by_default(lang: &str) -> bool {
    // rustdoc compiles a block whose every word is `rust` or one of its test attributes.
    let rust_word = |word: &str| {
        matches!(
            word,
            "rust" | "ignore" | "no_run" | "should_panic" | "compile_fail" | "test_harness" | "standalone_crate"
        ) || word.starts_with("edition")
    };
    lang.split([',', ' ']).map(str::trim).filter(|w| !w.is_empty()).all(rust_word)
}

/// Whether a description or example is a placeholder that some specs carry instead of a
/// value: a JSON path into the spec (`$.parameters[15].schema.items.properties.Value.example`).
pub fn is_placeholder(text: &str) -> bool {
    text.starts_with("$.") && !text.contains(' ')
}

/// Whether a description is data put where prose belongs (some specs carry a response sample
/// or a resource ARN as a parameter's description): a whole JSON object or array, a whole XML
/// document of elements that are not layout HTML, or an `acs:` resource name.
fn is_data(text: &str) -> bool {
    let json = text.starts_with(['{', '['])
        && serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.is_object() || v.is_array());
    let root: String =
        text.strip_prefix('<').unwrap_or_default().chars().take_while(char::is_ascii_alphanumeric).collect();
    let xml = !root.is_empty() && text.ends_with(&format!("</{root}>")) && !is_markup(text);
    let arn = text.starts_with("acs:") && !text.contains(char::is_whitespace);
    json || xml || arn
}

/// `text` without empty bold (`****` after a sentence's punctuation and before white space,
/// left where a note's heading was converted); masked values (`pcc-lnk0m24khwvtkm0****`,
/// `instanceId=****`, a list item `*   ****`) keep their stars.
fn without_empty_bold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("****") {
        let after_sentence = rest[..start].ends_with(['.', ',', ';', ':', '!', '?', ')']);
        let then_space = rest[start + 4..].chars().next().is_none_or(char::is_whitespace);
        out.push_str(&rest[..start]);
        if !(after_sentence && then_space) {
            out.push_str("****");
        }
        rest = &rest[start + 4..];
    }
    out.push_str(rest);
    out
}

/// `text` without empty links to anchors (`[](#)`, which the specs put in headings) and
/// without the headings that leaves empty. Only the lines holding such a link change, and
/// none inside a code block.
fn without_empty_anchors(text: &str) -> String {
    if !text.contains("[](#") {
        return text.to_owned();
    }
    let mut lines: Vec<String> = Vec::new();
    let (mut fence, mut after_dropped): (Option<char>, bool) = (None, false);
    for line in text.lines() {
        let marker = line.trim_start().chars().next().filter(|c| matches!(c, '`' | '~'));
        let opens_or_closes = marker.is_some_and(|m| line.trim_start().starts_with(&m.to_string().repeat(3)));
        if opens_or_closes {
            fence = match fence {
                Some(open) if Some(open) == marker => None,
                None => marker,
                open => open,
            };
        }
        // The blank line after a dropped heading goes with it, unless the heading was between
        // two paragraphs that it kept apart.
        let blank_after_dropped = after_dropped && line.trim().is_empty();
        after_dropped = false;
        if blank_after_dropped && lines.last().is_none_or(|last| last.trim().is_empty()) {
            continue;
        }
        if fence.is_some() || opens_or_closes || !line.contains("[](#") {
            lines.push(line.to_owned());
            continue;
        }
        let mut kept = String::with_capacity(line.len());
        let mut rest = line;
        while let Some(start) = rest.find("[](#") {
            // Not inside a code span: an even number of backticks before it on the line.
            let in_code = (kept.matches('`').count() + rest[..start].matches('`').count()) % 2 == 1;
            let Some(end) = rest[start..].find(')').filter(|_| !in_code) else {
                kept.push_str(&rest[..start + 4]);
                rest = &rest[start + 4..];
                continue;
            };
            kept.push_str(&rest[..start]);
            rest = &rest[start + end + 1..];
        }
        kept.push_str(rest);
        if kept.trim().trim_start_matches('#').trim().is_empty() {
            after_dropped = true;
        } else {
            lines.push(kept);
        }
    }
    lines.join("\n")
}

/// The text for Alibaba's international site: `<props="intl">…</props>` is kept without its
/// tags, the other sites' variants (`<props="china">…</props>`) are dropped.
fn international_site_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<props=") {
        out.push_str(&rest[..start]);
        let tag = &rest[start..];
        let Some(tag_end) = tag.find('>') else {
            rest = tag;
            break;
        };
        let site = tag[7..tag_end].trim_matches(['"', '\'', ' ']);
        let body = &tag[tag_end + 1..];
        let (inner, after) = body.split_once("</props>").unwrap_or((body, ""));
        if site == "intl" {
            out.push_str(inner);
        }
        rest = after;
    }
    out.push_str(rest);
    // The lines that held the tags leave blank lines behind.
    let tags_removed = rest.len() < text.len();
    while tags_removed && out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

/// Resolves Alibaba's `~~…~~` placeholders: a page number (with an optional `#anchor`)
/// becomes a link to that page (`[text](~~94475~~)` → `[text](https://…/94475.html)`, a bare
/// one an autolink); an API name becomes that name in code (`[](~~CreateProject~~)` →
/// `` `CreateProject` ``, `[the API](~~CreateProject~~)` → ``the API (`CreateProject`)``).
fn resolve_doc_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("~~") {
        let after = &rest[start + 2..];
        let target = after.find("~~").map(|end| (end, &after[..end]));
        let in_link = rest[..start].ends_with("](");
        match target {
            Some((end, target)) if is_page(target) => {
                out.push_str(&rest[..start]);
                let (page, anchor) = target
                    .split_once('#')
                    .map_or((target, String::new()), |(p, a)| (p, format!("#{}", a.replace('\\', ""))));
                let url = format!("{DOC_PAGE}{page}.html{anchor}");
                if in_link {
                    out.push_str(&url);
                } else {
                    out.push('<');
                    out.push_str(&url);
                    out.push('>');
                }
                rest = &after[end + 2..];
            }
            Some((end, name)) if is_api_name(name) => {
                out.push_str(&rest[..start]);
                // The label may hold a page link resolved already: it is searched in `out`.
                let link_text = in_link.then(|| out[..out.len() - 2].rfind('[')).flatten();
                // The link ends at `)`, after the name or after a title (`"…"`), which goes.
                let tail = &after[end + 2..];
                let close = tail.find(')').filter(|&i| {
                    let title = tail[..i].trim();
                    title.is_empty() || (tail.starts_with(' ') && title.starts_with('"') && title.ends_with('"'))
                });
                match link_text.zip(close) {
                    Some((open, close)) => {
                        let label = out[open + 1..out.len() - 2].trim().to_owned();
                        out.truncate(open);
                        // A label that is the name (maybe in code) adds nothing to it.
                        let label = if label.trim_matches('`') == name { "" } else { label.as_str() };
                        if !label.is_empty() {
                            out.push_str(label);
                            out.push_str(" (");
                        }
                        out.push_str(&format!("`{name}`"));
                        if !label.is_empty() {
                            out.push(')');
                        }
                        rest = &tail[close + 1..];
                    }
                    _ => {
                        out.push_str(&format!("`{name}`"));
                        rest = &after[end + 2..];
                    }
                }
            }
            _ => {
                out.push_str(&rest[..start + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `94475` or `25412#SecurityGroupQuota`: a documentation page and an optional anchor (whose
/// `_` the specs sometimes escape as `\_`).
fn is_page(target: &str) -> bool {
    let (page, anchor) = target.split_once('#').unwrap_or((target, ""));
    !page.is_empty()
        && page.bytes().all(|b| b.is_ascii_digit())
        && anchor.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'\\'))
}

/// `CreateProject`: an API name (a capital letter, then letters and digits).
fn is_api_name(target: &str) -> bool {
    target.starts_with(|c: char| c.is_ascii_uppercase()) && target.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A one-paragraph form of `text` for places that need one line: its first paragraph, up to a
/// list that follows it without a blank line.
pub fn first_paragraph(text: &str) -> String {
    let paragraph = text.split("\n\n").next().unwrap_or(text);
    let lines: Vec<&str> = paragraph.lines().take_while(|line| !is_list_item(line.trim_start())).collect();
    if lines.is_empty() { paragraph.replace('\n', " ") } else { lines.join(" ") }
}

/// The first paragraph of `text` as a summary line: a note (`> …`) as plain text, without a
/// closing sentence that only introduces the list after it ("… operation. Valid values:"
/// gives "… operation."), and only its first sentence when it is longer than
/// 300 bytes (`LONG_SUMMARY`). `None` when `text` starts with a code block, which makes no line.
pub fn summary_line(text: &str) -> Option<String> {
    if text.starts_with("```") {
        return None;
    }
    let unquoted: String;
    let text = if text.starts_with('>') {
        let note = text.lines().take_while(|line| line.starts_with('>'));
        unquoted = note.map(|line| line.trim_start_matches('>').trim_start()).collect::<Vec<_>>().join("\n");
        unquoted.trim()
    } else {
        text
    };
    let paragraph = first_paragraph(text);
    let trimmed = paragraph.trim_end();
    let line = match trimmed.strip_suffix(':').and_then(|intro| sentence_ends(intro).last().copied()) {
        Some(end) => trimmed[..=end].to_owned(),
        None => paragraph.clone(),
    };
    Some(match sentence_ends(&line).first() {
        Some(&end) if line.len() > LONG_SUMMARY => line[..=end].to_owned(),
        _ => line,
    })
}

/// Where the sentences of `text` end: at each ". " before a capital letter, except after
/// "e.g" or "i.e" and inside a code span or a link's text.
fn sentence_ends(text: &str) -> Vec<usize> {
    text.match_indices(". ")
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = &text[..i];
            text[i + 2..].starts_with(char::is_uppercase)
                && !before.ends_with("e.g")
                && !before.ends_with("i.e")
                && before.matches('`').count().is_multiple_of(2)
                && before.matches('[').count() == before.matches(']').count()
        })
        .collect()
}

/// The length (bytes) above which a summary line keeps only its first sentence.
const LONG_SUMMARY: usize = 300;

/// Makes text safe inside rustdoc: escapes brackets (not already escaped, also by a backslash
/// just before the text when `escaped`) so that `[%s]` is not read as a link.
fn escape_brackets_from(text: &str, mut escaped: bool) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if matches!(c, '[' | ']') && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_line_drops_a_closing_list_introduction() {
        let dry_run = "Specifies whether to check the request. Valid values:\n\n*   **true**: checks.";
        let line = |text: &str| summary_line(text).expect("a line");
        assert_eq!(line(dry_run), "Specifies whether to check the request.");
        assert_eq!(line("Valid values:\n\n* a"), "Valid values:", "nothing before it to keep");
        assert_eq!(line("The ID of the VPC.\nMore."), "The ID of the VPC. More.");
        assert_eq!(line("Use e.g. this or that:"), "Use e.g. this or that:", "not a sentence end");
        assert_eq!(line("Enables it. Values:\n- **false**: no.\n- **true**: yes."), "Enables it.");
        assert_eq!(line("- a list\n- first"), "- a list - first", "a list alone is kept");
        assert_eq!(summary_line("```text\n<a>\n```"), None, "a code block makes no line");
        assert_eq!(
            line(">  This parameter will be removed.\n> Use NextToken."),
            "This parameter will be removed. Use NextToken."
        );
        let long = format!("Allocates bandwidth. {}.", "Then it does more ".repeat(18).trim_end());
        assert_eq!(line(&long), "Allocates bandwidth.");
        assert_eq!(line("Short. Two sentences."), "Short. Two sentences.");
        let filler = "more words ".repeat(30);
        for (long, first) in [
            (format!("Use the value `Mode. Then set` it. More {filler}"), "Use the value `Mode. Then set` it."),
            (
                format!("See [Step 1. Create a VPC](https://x.y). Then {filler}"),
                "See [Step 1. Create a VPC](https://x.y).",
            ),
            (format!("Use a value, e.g. The default. Then {filler}"), "Use a value, e.g. The default."),
        ] {
            assert_eq!(line(&long), first);
        }
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            rustdoc("See https://example.com/a?b=c, or http://x.y.").unwrap(),
            "See <https://example.com/a?b=c>, or <http://x.y>."
        );
        assert_eq!(
            rustdoc("Cannot start with http:// or https://.").unwrap(),
            "Cannot start with http:// or https://."
        );
        assert_eq!(
            rustdoc("Not `https://in.code` and [a](https://b.c).").unwrap(),
            "Not `https://in.code` and [a](https://b.c)."
        );
        assert_eq!(rustdoc("Already <https://linked.example>.").unwrap(), "Already <https://linked.example>.");
    }

    #[test]
    fn doc_links_become_urls() {
        assert_eq!(
            rustdoc("See [Overview](~~418507~~) or ~~36063~~.").unwrap(),
            "See [Overview](https://www.alibabacloud.com/help/en/doc-detail/418507.html) or <https://www.alibabacloud.com/help/en/doc-detail/36063.html>."
        );
        assert_eq!(rustdoc("~~not a link~~ ~~").unwrap(), "~~not a link~~ ~~");
        assert_eq!(
            rustdoc("[Quotas](~~25412#SecurityGroupQuota~~)").unwrap(),
            "[Quotas](https://www.alibabacloud.com/help/en/doc-detail/25412.html#SecurityGroupQuota)"
        );
        assert_eq!(
            rustdoc("[Local disks](~~63138#section_n2w\\_8yc~~)").unwrap(),
            "[Local disks](https://www.alibabacloud.com/help/en/doc-detail/63138.html#section_n2w_8yc)"
        );
        assert_eq!(
            rustdoc("Call [](~~CreateProject~~), [the list API](~~ListProjects~~) or ~~DescribeX~~ first.").unwrap(),
            "Call `CreateProject`, the list API (`ListProjects`) or `DescribeX` first."
        );
        assert_eq!(
            rustdoc("Call [GetTask](~~GetTask~~) or [`GetTask`](~~GetTask~~).").unwrap(),
            "Call `GetTask` or `GetTask`."
        );
        assert_eq!(
            rustdoc("See [limits](/help/en/vpc/limits).").unwrap(),
            "See [limits](https://www.alibabacloud.com/help/en/vpc/limits)."
        );
    }

    #[test]
    fn only_the_international_sites_variant_is_kept() {
        let text = "The algorithm.\n\n<props=\"china\">\n\n*   **sm3** too.\n\n</props>\n<props=\"intl\">\n\nValid values: **md5**.\n\n</props>";
        assert_eq!(rustdoc(text).unwrap(), "The algorithm.\n\nValid values: **md5**.");
        assert_eq!(rustdoc("Mbit/s.\n<props=\"china\"> See [peak](~~89729~~).</props>").unwrap(), "Mbit/s.");
        assert_eq!(rustdoc("Cut <props=\"intl\">short").unwrap(), "Cut short");
    }

    #[test]
    fn placeholder_descriptions_are_not_prose() {
        assert_eq!(rustdoc("$.parameters[15].schema.items.properties.Value.description"), None);
        assert_eq!(rustdoc("$.5 per hour").unwrap(), "$.5 per hour");
    }

    #[test]
    fn code_blocks_never_become_doctests() {
        assert_eq!(rustdoc("Example:\n\n```\n{\"a\":1}\n```").unwrap(), "Example:\n\n```text\n{\"a\":1}\n```");
        assert_eq!(rustdoc("```rust\nlet x;\n```").unwrap(), "```text\nlet x;\n```");
        assert_eq!(rustdoc("```no_run\nlet x;\n```").unwrap(), "```text\nlet x;\n```");
        assert_eq!(rustdoc("```rust,edition2021\nlet x;\n```").unwrap(), "```text\nlet x;\n```");
        assert_eq!(rustdoc("```json\n{}\n```").unwrap(), "```json\n{}\n```");
        assert_eq!(rustdoc("```json\n{\"Ids\": [\"a\"]}\n```").unwrap(), "```json\n{\"Ids\": [\"a\"]}\n```");
        assert_eq!(rustdoc("```\n[1]\n```\n\nThen [2].").unwrap(), "```text\n[1]\n```\n\nThen \\[2\\].");
        assert_eq!(
            rustdoc("Para.\n\n    indented code\n    more\n\nEnd.").unwrap(),
            "Para.\n\n```text\nindented code\nmore\n```\n\nEnd."
        );
        assert_eq!(
            rustdoc("1.  Step:\n\n        ```\n        {\"a\": 1}\n        ```\n\n2.  Next").unwrap(),
            "1.  Step:\n\n    ```text\n    {\"a\": 1}\n    ```\n\n2.  Next"
        );
        assert_eq!(
            rustdoc(
                "1.  Do:\n\n    *   Attach:\n\n                  {\n                    \"a\": 1\n                  }"
            )
            .unwrap(),
            "1.  Do:\n\n    *   Attach:\n\n        ```text\n        {\n          \"a\": 1\n        }\n        ```"
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
    fn brackets_that_are_not_links_are_escaped() {
        assert_eq!(
            rustdoc("$.parameters[15].schema and [a link](https://x) and \\[kept\\]").unwrap(),
            "$.parameters\\[15\\].schema and [a link](https://x) and \\[kept\\]"
        );
        assert_eq!(rustdoc("Intro:\n\n    code [1]\n").unwrap(), "Intro:\n\n```text\ncode [1]\n```");
        assert_eq!(escape_brackets_from("The status of %s [%s]", false), "The status of %s \\[%s\\]");
    }

    #[test]
    fn data_in_place_of_prose_is_no_description() {
        assert_eq!(rustdoc("{\n  \"PageSize\": 10\n}"), None);
        assert_eq!(
            rustdoc("<DescribeInvocationsResponse>\n  <PageSize>10</PageSize>\n</DescribeInvocationsResponse>"),
            None
        );
        assert_eq!(rustdoc("acs:ecs:{#regionId}:{#accountId}:command/*"), None);
        assert_eq!(rustdoc("{a} is a placeholder").unwrap(), "{a} is a placeholder");
        assert_eq!(rustdoc("<p>Kept</p>").unwrap(), "Kept");
    }

    #[test]
    fn empty_anchor_links_and_the_headings_they_leave_go() {
        assert_eq!(rustdoc("## [](#)\n\nYou cannot.").unwrap(), "You cannot.");
        assert_eq!(rustdoc("### [](#)Description\n\nText.").unwrap(), "### Description\n\nText.");
        assert_eq!(rustdoc("**1** to **500**.****").unwrap(), "**1** to **500**.");
        assert_eq!(rustdoc("Example: pcc-lnk0m24khwvtkm0****.").unwrap(), "Example: pcc-lnk0m24khwvtkm0****.");
        assert_eq!(rustdoc("IDs such as `vpc-*****`.").unwrap(), "IDs such as `vpc-*****`.");
    }

    #[test]
    fn a_paragraph_of_bare_emphasis_markers_goes() {
        let note = "Unique.\n\n**\n\n**Description** If you do not set it, the request ID is used.";
        assert_eq!(rustdoc(note).unwrap(), "Unique.\n\n**Description** If you do not set it, the request ID is used.");
        assert_eq!(rustdoc("**bold** stays").unwrap(), "**bold** stays");
        // Inside a list item, where the next paragraph must keep its indentation.
        let item = "Disks:\n\n*   cloud_essd_entry: ESSD Entry disk.\n\n    **\n\n    **Note** Only for `ecs.u1`.\n\n*   cloud";
        assert_eq!(
            rustdoc(item).unwrap(),
            "Disks:\n\n*   cloud_essd_entry: ESSD Entry disk.\n\n    **Note** Only for `ecs.u1`.\n\n*   cloud"
        );
    }

    #[test]
    fn html_edge_cases_keep_text_where_it_belongs() {
        // A tag cut off is a less-than sign, and converting it ends.
        assert_eq!(rustdoc("<div").unwrap(), "&lt;div");
        assert_eq!(rustdoc("Intro\n\n<p").unwrap(), "Intro\n\n&lt;p");
        assert_eq!(rustdoc("<p>a < b, see <b>c</b></p>").unwrap(), "a &lt; b, see c");
        assert_eq!(rustdoc("<pre><Id>1</Id></pre>").unwrap(), "```text\n<Id>1</Id>\n```");
        // Text kept from a block that interrupts a paragraph is a paragraph of its own.
        let interrupting = "It is associated.\n<details>\n<summary>Click to view.</summary>\n\nNext.";
        assert_eq!(rustdoc(interrupting).unwrap(), "It is associated.\n\nClick to view.\n\nNext.");
        // A block that starts a list item keeps its later lines in the item.
        assert_eq!(rustdoc("*   <p>a</p><p>b</p>").unwrap(), "*   a\n\n    b");
        // A fence left open in a list item is closed in the item.
        assert_eq!(rustdoc("*   a\n\n    ```\n    x").unwrap(), "*   a\n\n    ```text\n    x\n    ```");
        // Prose that opens with a placeholder and ends in layout HTML is prose.
        assert!(rustdoc("<InstanceId> format. See <a href=\"x\">docs</a>").is_some());
        // Masked values keep their stars, in code and out.
        for masked in ["`instanceId=****`", "*   ****", "vncUrl=ws%3A%2F%****&x=1"] {
            assert!(rustdoc(masked).unwrap().contains("****"), "{masked}");
        }
        // Anchor links go from their own lines only; a `#` line in code stays.
        assert_eq!(rustdoc("```\n#\n```\n\n## [](#)\n\nText.").unwrap(), "```text\n#\n```\n\nText.");
        assert_eq!(rustdoc("~~~\n```\n~~~\n\n## [](#)\n\nAfter.").unwrap(), "~~~text\n```\n~~~\n\nAfter.");
        assert_eq!(rustdoc("Text before.\n## [](#)\n\nMore text.").unwrap(), "Text before.\n\nMore text.");
        assert_eq!(rustdoc("Keep `[](#)` as code.").unwrap(), "Keep `[](#)` as code.");
        // Code spans in layout HTML are kept whole; `<=` and `a<b` are no tags.
        assert_eq!(rustdoc("<p>Keep `a<b` as is.</p>").unwrap(), "Keep `a<b` as is.");
        assert_eq!(rustdoc("<p>Use a <= b and `x<y`.</p>").unwrap(), "Use a &lt;= b and `x<y`.");
        // In a quote: every kept line stays in the quote, and a closed fence is not closed again.
        assert_eq!(rustdoc("> <p>a</p><p>b</p>").unwrap(), "> a\n>\n> b");
        assert_eq!(rustdoc("Intro.\n\n> ```json\n> {}\n> ```").unwrap(), "Intro.\n\n> ```json\n> {}\n> ```");
        // In a list item, a preformatted block is indented once.
        assert_eq!(
            rustdoc("*   Item:\n\n    <pre>\n    x\n    </pre>").unwrap(),
            "*   Item:\n\n    ```text\n    x\n    ```"
        );
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        assert_eq!(code_span("Activated"), "`Activated`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x``"), "``` `x`` ```");
    }

    #[test]
    fn layout_html_blocks_keep_their_text() {
        let details = "Pools.\n\n<details>\n<summary>Click to view the CIDR blocks that are not supported.</summary>\n\n\
            *   127.0.0.0~127.255.255.255\n</details>\n\nEnd.";
        assert_eq!(
            rustdoc(details).unwrap(),
            "Pools.\n\nClick to view the CIDR blocks that are not supported.\n\n*   127.0.0.0~127.255.255.255\n\nEnd."
        );
        assert_eq!(rustdoc("<p>First [x]</p>\n<p>Second <Id></p>").unwrap(), "First \\[x\\]\n\nSecond `<Id>`");
        assert_eq!(rustdoc("<pre>\n{\"a\": [1]}\n</pre>").unwrap(), "```text\n{\"a\": [1]}\n```");
        assert_eq!(rustdoc("Before.\n\n<!-- unclosed comment\n\nAfter.").unwrap(), "Before.");
        assert_eq!(rustdoc("<div><!-- note --></div>\n\nKept.").unwrap(), "Kept.");
        assert_eq!(rustdoc("Values:<br>true<br/>false").unwrap(), "Values: true false");
        // Inside a list item: a comment goes with its line; kept text stays in the item.
        let item = "*   a\n\n    <!-- -->\n\n    :\n\n    <p>b</p>\n    <p>c</p>\n\n*   d";
        assert_eq!(rustdoc(item).unwrap(), "*   a\n\n    :\n\n    b\n\n    c\n\n*   d");
    }

    #[test]
    fn code_blocks_left_open_are_closed_and_carriage_returns_end_lines() {
        assert_eq!(rustdoc("Body:\n```json\n{\"a\":1}").unwrap(), "Body:\n```json\n{\"a\":1}\n```");
        assert_eq!(rustdoc("Body:\n````\n{}").unwrap(), "Body:\n````text\n{}\n````");
        assert_eq!(rustdoc("Closed:\n```json\n{}\n```").unwrap(), "Closed:\n```json\n{}\n```");
        assert_eq!(rustdoc("one\rtwo\r\nthree").unwrap(), "one\ntwo\nthree");
        // Only spaces indent: a no-break space is text, and its line is kept.
        assert_eq!(rustdoc("Intro:\n\n     a\n    \u{a0}b").unwrap(), "Intro:\n\n```text\n a\n\u{a0}b\n```");
    }

    #[test]
    fn an_api_link_with_a_title_becomes_the_name_in_code() {
        assert_eq!(rustdoc("See [the API](~~CreateX~~ \"Create\") now.").unwrap(), "See the API (`CreateX`) now.");
        assert_eq!(
            rustdoc("See [page ~~123~~](~~CreateX~~).").unwrap(),
            "See page <https://www.alibabacloud.com/help/en/doc-detail/123.html> (`CreateX`)."
        );
    }

    #[test]
    fn html_is_removed_and_entities_kept() {
        assert_eq!(rustdoc("A<b>B</b>&#x20;C &lt;D&gt;<br/>").unwrap(), "AB&#x20;C &lt;D&gt;");
        assert_eq!(rustdoc("<notice>only html</notice>").unwrap(), "only html");
        assert_eq!(rustdoc("Format: <InstanceId>:<Port>").unwrap(), "Format: `<InstanceId>`:`<Port>`");
        assert_eq!(rustdoc("From <Start port number> on.").unwrap(), "From `<Start port number>` on.");
        assert_eq!(
            rustdoc("Sample:\n\n<Invocation>\n  <InvokeId>t-1</InvokeId>\n</Invocation>\n\nEnd.").unwrap(),
            "Sample:\n\n```text\n<Invocation>\n  <InvokeId>t-1</InvokeId>\n</Invocation>\n```\n\nEnd."
        );
        assert_eq!(rustdoc("   \n"), None);
    }
}
