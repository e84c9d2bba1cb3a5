//! The Markdown subset of report bodies, parsed with pulldown-cmark into blocks of styled inlines.
//!
//! Paragraphs, bold, italic, bullet and numbered lists and links are rendered; anything else
//! degrades to its text (headings become bold paragraphs, code is shown as written, raw HTML
//! as literal text — a report's text is never interpreted as markup beyond the subset).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A run of text with its emphasis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inline {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// Only http, https and mailto targets are kept.
    pub link: Option<String>,
}

/// A block of a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Para(Vec<Inline>),
    List { start: Option<u64>, items: Vec<Vec<Block>> },
}

/// Whether a link target may become a link annotation.
pub fn safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// Parses a body.
pub fn parse(source: &str) -> Vec<Block> {
    let mut b = Builder::default();
    for event in Parser::new_ext(source, Options::empty()) {
        b.event(event);
    }
    b.flush_para();
    b.stack.pop().map(|f| f.blocks).unwrap_or_default()
}

/// Parses inline text (a recommendation or a scenario): one paragraph's inlines, lists flattened.
pub fn parse_inline(source: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    flatten(&parse(source), &mut out);
    out
}

fn flatten(blocks: &[Block], out: &mut Vec<Inline>) {
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            out.push(plain("\n"));
        }
        match block {
            Block::Para(inl) => out.extend(inl.iter().cloned()),
            Block::List { start, items } => {
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        out.push(plain("\n"));
                    }
                    out.push(plain(&match start {
                        Some(s) => format!("{}. ", s + n as u64),
                        None => "• ".to_string(),
                    }));
                    flatten(item, out);
                }
            }
        }
    }
}

fn plain(text: &str) -> Inline {
    Inline { text: text.to_string(), bold: false, italic: false, link: None }
}

struct Frame {
    blocks: Vec<Block>,
    /// Set for a list frame: the list's start number (None for bullets).
    list: Option<Option<u64>>,
    items: Vec<Vec<Block>>,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    para: Vec<Inline>,
    bold: u32,
    italic: u32,
    link: Vec<Option<String>>,
}

impl Builder {
    fn top(&mut self) -> &mut Frame {
        if self.stack.is_empty() {
            self.stack.push(Frame { blocks: Vec::new(), list: None, items: Vec::new() });
        }
        self.stack.last_mut().expect("stack is not empty")
    }

    fn text(&mut self, text: &str) {
        let link = self.link.iter().rev().flatten().next().cloned();
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        if let Some(last) = self.para.last_mut() {
            if last.bold == bold && last.italic == italic && last.link == link {
                last.text.push_str(text);
                return;
            }
        }
        self.para.push(Inline { text: text.to_string(), bold, italic, link });
    }

    fn flush_para(&mut self) {
        if self.para.iter().any(|i| !i.text.trim().is_empty()) {
            let para = std::mem::take(&mut self.para);
            self.top().blocks.push(Block::Para(para));
        }
        self.para.clear();
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::BlockQuote(_) => {
                    self.flush_para();
                    if matches!(tag, Tag::Heading { .. }) {
                        self.bold += 1;
                    }
                }
                Tag::List(start) => {
                    self.flush_para();
                    self.top();
                    self.stack.push(Frame { blocks: Vec::new(), list: Some(start), items: Vec::new() });
                }
                Tag::Item => {
                    self.flush_para();
                    self.top();
                    self.stack.push(Frame { blocks: Vec::new(), list: None, items: Vec::new() });
                }
                Tag::Emphasis => self.italic += 1,
                Tag::Strong => self.bold += 1,
                Tag::Link { dest_url, .. } => {
                    let url = dest_url.to_string();
                    self.link.push(safe_link(&url).then_some(url));
                }
                Tag::Image { .. } => {}
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::BlockQuote(_) => self.flush_para(),
                TagEnd::Heading(_) => {
                    self.flush_para();
                    self.bold = self.bold.saturating_sub(1);
                }
                TagEnd::Item => {
                    self.flush_para();
                    if self.stack.len() > 1 {
                        let item = self.stack.pop().expect("an item frame");
                        self.top().items.push(item.blocks);
                    }
                }
                TagEnd::List(_) => {
                    self.flush_para();
                    if self.stack.len() > 1 {
                        let list = self.stack.pop().expect("a list frame");
                        let start = list.list.flatten();
                        self.top().blocks.push(Block::List { start, items: list.items });
                    }
                }
                TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
                TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
                TagEnd::Link => {
                    self.link.pop();
                }
                _ => {}
            },
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => self.text(&t),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.text("\n"),
            Event::Rule => self.flush_para(),
            Event::FootnoteReference(t) => self.text(&format!("[{t}]")),
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_lists_and_links() {
        let blocks = parse(
            "Some **bold** and *italic* with [a site](https://example.org) and [bad](javascript:alert(1)).\n\n\
             - one\n- two *x*\n\n3. three\n4. four\n",
        );
        insta::assert_debug_snapshot!(blocks);
    }

    #[test]
    fn html_and_code_stay_literal_text() {
        let blocks = parse("Text <script>alert(1)</script> and `code`");
        let text: String = match &blocks[0] {
            Block::Para(i) => i.iter().map(|i| i.text.as_str()).collect(),
            _ => panic!("a paragraph"),
        };
        assert_eq!(text, "Text <script>alert(1)</script> and code");
    }

    #[test]
    fn only_web_and_mail_links_are_safe() {
        assert!(safe_link("https://x.org") && safe_link("HTTP://x") && safe_link("mailto:a@b.c"));
        assert!(!safe_link("javascript:alert(1)") && !safe_link("file:///etc/passwd") && !safe_link("/rel"));
    }

    #[test]
    fn inline_text_flattens_lists() {
        let inl = parse_inline("a\n\n- b\n- c");
        let text: String = inl.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(text, "a\n• b\n• c");
    }
}
