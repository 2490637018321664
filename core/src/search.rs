//! Catalog search, the pure half: what a person typed into the search box becomes an
//! FTS5 expression that cannot fail, and what a list row shows. The store runs it
//! (`store/search.rs`); nothing here touches a database.
//!
//! The safety rule is simple: every word goes to SQLite inside double quotes, so no
//! FTS5 operator (`OR`, `NEAR(`, `col:`, `^`, `*`, `-`) typed by a person is ever read
//! as syntax, and the only character that is special inside quotes (`"`) is never part
//! of a word. The operators in the expression are ours: the filters below.
//!
//! Every word must match, as the start of a word ("sil sar" finds "Silk Saree"), except
//! a word of one character, which must match a whole word ("S" the size, "1" in
//! "SAR-12-1"): as a prefix it would match nearly every product (94% of a generated
//! catalog start some word with "s"), filtering nothing at the highest cost.

use uuid::Uuid;

use crate::catalog::ProductStatus;
use crate::money::Money;

/// A search longer than this is a paste, not a search; the extra words would only make
/// the query slower.
pub const MAX_WORDS: usize = 12;
/// A word is cut to this many characters. A cut word still matches as a prefix of the
/// whole word, so nothing is lost but time.
pub const MAX_WORD_CHARS: usize = 48;

/// What the search box holds, made safe for SQLite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchText {
    /// Nothing typed: the list in its usual order.
    All,
    /// Something typed with no letter or digit in it ("-", "**"): nothing can match it
    /// as words, but it may still be a SKU typed exactly.
    ExactOnly { exact: String },
    /// The words, each quoted, all of which must match (`words`; see
    /// `match_expression`), and the whole text, to put an exact SKU or barcode match
    /// first (`exact`).
    Words { words: String, exact: String },
}

impl SearchText {
    pub fn parse(text: &str) -> SearchText {
        let exact = text.trim();
        if exact.is_empty() {
            return SearchText::All;
        }
        let words: Vec<String> = text
            .split(is_separator)
            // A run of marks or symbols with no letter or digit is no word to the
            // tokenizer either.
            .filter(|word| word.chars().any(char::is_alphanumeric))
            .take(MAX_WORDS)
            .map(|word| {
                let word: String = word.chars().take(MAX_WORD_CHARS).collect();
                let prefix = if word.chars().count() > 1 { "*" } else { "" };
                // Never needed (`"` separates words), but the expression stays valid
                // even if `is_separator` changes.
                format!("\"{}\"{prefix}", word.replace('"', "\"\""))
            })
            .collect();
        if words.is_empty() {
            return SearchText::ExactOnly {
                exact: exact.to_owned(),
            };
        }
        SearchText::Words {
            words: words.join(" "),
            exact: exact.to_owned(),
        }
    }
}

/// The columns a person's words are matched against; the others are filters.
const TEXT_COLUMNS: &str = "{name description category sku options barcode}";

/// The FTS5 expression for `words` (from `SearchText::Words`) and the filters the index
/// applies itself: the status (`None`: anything but archived) and a category, which
/// includes the categories below it because each product lists every category on its
/// path. The status is written to read the short lists: nearly every product is
/// active, so "active" is "neither draft nor archived".
pub fn match_expression(
    words: &str,
    status: Option<ProductStatus>,
    category: Option<Uuid>,
) -> String {
    let text = format!("({TEXT_COLUMNS} : ({words}))");
    let mut expr = match status {
        None => format!("({text} NOT (status : \"archived\"))"),
        Some(ProductStatus::Active) => {
            format!("({text} NOT (status : \"draft\" OR status : \"archived\"))")
        }
        Some(status) => format!("({text} AND (status : \"{}\"))", status.as_str()),
    };
    if let Some(category) = category {
        expr = format!("({expr} AND (category_ids : \"{}\"))", category.simple());
    }
    expr
}

/// Where the search box splits words. ASCII punctuation splits as it does in the index
/// (the tokenizer treats it as a separator), so "SAR-001" finds the SKU SAR-001 and
/// "col:x" is two words, not a column filter. Punctuation outside ASCII ("’", "–") stays
/// inside the quoted word, where the tokenizer splits it the same way it did the product.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_control() || c.is_ascii_punctuation()
}

/// A page of the product list or of search results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductQuery {
    /// What was typed; empty for the plain list, newest first.
    pub text: String,
    /// Products in this category or any category below it.
    pub category: Option<Uuid>,
    /// Only products with this status; `None` means every product that is not archived.
    pub status: Option<ProductStatus>,
    /// Rows per page, kept within 1..=`MAX_LIMIT` (see `page_size`).
    pub limit: u32,
    /// Rows to skip: the page number times the page size.
    pub offset: u32,
}

impl ProductQuery {
    pub const DEFAULT_LIMIT: u32 = 50;
    /// More rows than a screen can show only cost time.
    pub const MAX_LIMIT: u32 = 500;

    /// A search for `text` with the default page and filters.
    pub fn text(text: &str) -> ProductQuery {
        ProductQuery {
            text: text.to_owned(),
            ..ProductQuery::default()
        }
    }

    pub fn page_size(&self) -> u32 {
        self.limit.clamp(1, Self::MAX_LIMIT)
    }
}

impl Default for ProductQuery {
    fn default() -> ProductQuery {
        ProductQuery {
            text: String::new(),
            category: None,
            status: None,
            limit: Self::DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

/// One row of the product list: everything the row shows, so the list needs no further
/// query per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductHit {
    pub product_id: Uuid,
    pub name: String,
    pub status: ProductStatus,
    /// The variant whose SKU or barcode was typed exactly, else the product's first
    /// active variant; `None` only when every variant is archived.
    pub variant_id: Option<Uuid>,
    pub price: Option<Money>,
    pub sku: Option<String>,
    /// The barcode that was typed, else the variant's first active barcode.
    pub barcode: Option<String>,
    /// The name of the product's own category (the last on its path).
    pub category: Option<String>,
    /// Active variants, for a "3 variants" hint.
    pub variant_count: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fts(text: &str) -> String {
        match SearchText::parse(text) {
            SearchText::Words { words, .. } => words,
            other => panic!("{text:?} should give words, gave {other:?}"),
        }
    }

    #[test]
    fn nothing_typed_is_the_whole_list() {
        assert_eq!(SearchText::parse(""), SearchText::All);
        assert_eq!(SearchText::parse(" \t\n "), SearchText::All);
    }

    #[test]
    fn every_word_is_a_quoted_prefix() {
        assert_eq!(fts("sil sar"), r#""sil"* "sar"*"#);
        assert_eq!(fts("  Sārī   "), r#""Sārī"*"#);
        assert_eq!(
            SearchText::parse("  SAR-001 "),
            SearchText::Words {
                words: r#""SAR"* "001"*"#.to_owned(),
                exact: "SAR-001".to_owned()
            },
            "the exact text keeps the SKU as typed, trimmed"
        );
    }

    #[test]
    fn a_one_character_word_must_be_a_whole_word() {
        assert_eq!(fts("kurta s"), r#""kurta"* "s""#);
        assert_eq!(fts("SAR-12-1"), r#""SAR"* "12"* "1""#);
        assert_eq!(fts("साड़ी"), r#""साड़ी"*"#, "one word of several characters");
    }

    #[test]
    fn filters_are_applied_by_the_index() {
        let category: Uuid = "019a0000-0000-7000-8000-0000000000ab"
            .parse()
            .expect("a valid id");
        assert_eq!(
            match_expression(r#""silk"*"#, None, None),
            r#"(({name description category sku options barcode} : ("silk"*)) NOT (status : "archived"))"#
        );
        assert_eq!(
            match_expression(r#""silk"*"#, Some(ProductStatus::Active), None),
            r#"(({name description category sku options barcode} : ("silk"*)) NOT (status : "draft" OR status : "archived"))"#
        );
        assert_eq!(
            match_expression(r#""silk"*"#, Some(ProductStatus::Draft), Some(category)),
            r#"((({name description category sku options barcode} : ("silk"*)) AND (status : "draft")) AND (category_ids : "019a00000000700080000000000000ab"))"#
        );
    }

    #[test]
    fn fts_syntax_is_never_syntax() {
        assert_eq!(fts("NEAR(silk saree)"), r#""NEAR"* "silk"* "saree"*"#);
        assert_eq!(fts("ab OR cd"), r#""ab"* "OR"* "cd"*"#);
        assert_eq!(fts("a OR b"), r#""a" "OR"* "b""#);
        assert_eq!(fts("name:silk"), r#""name"* "silk"*"#);
        assert_eq!(
            fts(r#"^"silk"* -cotton +red"#),
            r#""silk"* "cotton"* "red"*"#
        );
        assert_eq!(fts("tea\u{0}\u{1b}[31mchai"), r#""tea"* "31mchai"*"#);
    }

    #[test]
    fn punctuation_alone_can_only_be_an_exact_sku() {
        assert_eq!(
            SearchText::parse(r#" "*" "#),
            SearchText::ExactOnly {
                exact: r#""*""#.to_owned()
            }
        );
        assert!(matches!(
            SearchText::parse("– —"),
            SearchText::ExactOnly { .. }
        ));
    }

    #[test]
    fn a_pasted_essay_is_cut_to_a_few_short_words() {
        let essay = "silk ".repeat(2_000) + &"x".repeat(10_000);
        let expr = fts(&essay);
        assert_eq!(expr.matches('*').count(), MAX_WORDS);
        let long = fts(&"y".repeat(10_000));
        assert_eq!(long, format!("\"{}\"*", "y".repeat(MAX_WORD_CHARS)));
    }

    #[test]
    fn the_page_size_is_kept_within_bounds() {
        let page = |limit| ProductQuery {
            limit,
            ..ProductQuery::default()
        };
        assert_eq!(page(0).page_size(), 1);
        assert_eq!(page(20).page_size(), 20);
        assert_eq!(page(u32::MAX).page_size(), ProductQuery::MAX_LIMIT);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever is typed, the expression is a list of quoted words with no quote
        /// or control character inside: nothing FTS5 could read as syntax.
        #[test]
        fn any_text_gives_only_quoted_words(text in any::<String>()) {
            if let SearchText::Words { words, .. } = SearchText::parse(&text) {
                let words: Vec<&str> = words.split(' ').collect();
                prop_assert!(words.len() <= MAX_WORDS);
                for word in words {
                    let inner = word
                        .strip_prefix('"')
                        .and_then(|w| w.strip_suffix("\"*").or_else(|| w.strip_suffix('"')))
                        .ok_or_else(|| TestCaseError::fail(format!("unquoted word {word:?}")))?;
                    prop_assert!(!inner.is_empty() && inner.chars().count() <= MAX_WORD_CHARS);
                    prop_assert!(!inner.chars().any(|c| c == '"' || c.is_control() || c.is_whitespace()));
                }
            }
        }
    }
}
