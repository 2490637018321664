//! The product list's query string, read strictly: an unknown parameter, a repeated
//! one, a bad value or a cursor from elsewhere is a 400 that says which and why, never a
//! silently different list. Pure, so every rule is tested without a server.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;

pub const DEFAULT_LIMIT: u32 = 24;
pub const MAX_LIMIT: u32 = 100;
pub const MAX_QUERY_CHARS: usize = 100;
pub const MAX_OPTION_FILTERS: usize = 20;
/// Deeper than this, relevance pages stop: nobody reads page 400 of search results, and
/// each page deeper costs the database more.
pub const MAX_RELEVANCE_OFFSET: u64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    Relevance,
    PriceAsc,
    PriceDesc,
    Newest,
    Name,
}

impl Sort {
    pub const NAMES: &'static str = "relevance, price_asc, price_desc, newest, name";

    fn parse(text: &str) -> Option<Sort> {
        Some(match text {
            "relevance" => Sort::Relevance,
            "price_asc" => Sort::PriceAsc,
            "price_desc" => Sort::PriceDesc,
            "newest" => Sort::Newest,
            "name" => Sort::Name,
            _ => return None,
        })
    }
}

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "s", rename_all = "snake_case")]
pub enum Cursor {
    /// After the product `id` whose sort value was `v` (a price or a lower-cased name;
    /// absent for newest, which sorts by id alone).
    After {
        sort: Sort,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        price: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        id: Uuid,
    },
    /// Relevance pages are counted, because scores are not unique keys.
    Offset { offset: u64 },
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    fn decode(text: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// A checked product-list request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub q: Option<String>,
    pub category: Option<Uuid>,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    pub in_stock: bool,
    pub in_stock_at: Option<Uuid>,
    /// Option filters grouped by name: a product matches one of the values of each name.
    pub options: Vec<(String, Vec<String>)>,
    pub sort: Sort,
    pub limit: u32,
    pub cursor: Option<Cursor>,
    pub facets: bool,
}

const KNOWN: &[&str] = &[
    "q",
    "category",
    "price_min",
    "price_max",
    "in_stock",
    "in_stock_at",
    "option",
    "sort",
    "limit",
    "cursor",
    "facets",
];

fn bad(text: String) -> ApiError {
    ApiError::BadParameter(text)
}

/// Reads the product list's parameters, given as sent (decoded pairs, in order).
pub fn parse_list(pairs: &[(String, String)]) -> Result<ListQuery, ApiError> {
    let mut seen: Vec<&str> = Vec::new();
    let mut query = ListQuery {
        q: None,
        category: None,
        price_min: None,
        price_max: None,
        in_stock: false,
        in_stock_at: None,
        options: Vec::new(),
        sort: Sort::Name,
        limit: DEFAULT_LIMIT,
        cursor: None,
        facets: false,
    };
    let mut sort = None;
    let mut option_count = 0;
    for (name, value) in pairs {
        let Some(known) = KNOWN.iter().find(|k| **k == name.as_str()) else {
            return Err(bad(format!(
                "Unknown parameter {:?}. This path takes {}.",
                clip(name),
                KNOWN.join(", ")
            )));
        };
        if *known != "option" {
            if seen.contains(known) {
                return Err(bad(format!("The parameter {known} is given twice.")));
            }
            seen.push(known);
        }
        match *known {
            "q" => {
                let text = value.split_whitespace().collect::<Vec<_>>().join(" ");
                if text.chars().count() > MAX_QUERY_CHARS {
                    return Err(bad(format!("q is at most {MAX_QUERY_CHARS} characters.")));
                }
                if text.chars().any(char::is_control) {
                    return Err(bad("q cannot hold control characters.".into()));
                }
                query.q = Some(text).filter(|t| !t.is_empty());
            }
            "category" => query.category = Some(id(known, value)?),
            "in_stock_at" => query.in_stock_at = Some(id(known, value)?),
            "price_min" => query.price_min = Some(minor(known, value)?),
            "price_max" => query.price_max = Some(minor(known, value)?),
            "in_stock" => query.in_stock = flag(known, value)?,
            "facets" => query.facets = flag(known, value)?,
            "option" => {
                option_count += 1;
                if option_count > MAX_OPTION_FILTERS {
                    return Err(bad(format!(
                        "At most {MAX_OPTION_FILTERS} option filters can be given."
                    )));
                }
                let (name, wanted) = value
                    .split_once(':')
                    .map(|(n, v)| (n.trim(), v.trim()))
                    .filter(|(n, v)| !n.is_empty() && !v.is_empty() && !v.contains(':'))
                    .ok_or_else(|| {
                        bad(format!(
                            "option must be Name:Value, such as option=Size:M; got {:?}.",
                            clip(value)
                        ))
                    })?;
                if name.contains('=') || value.chars().any(char::is_control) {
                    return Err(bad(format!(
                        "option {:?} holds a character an option cannot have.",
                        clip(value)
                    )));
                }
                match query.options.iter_mut().find(|(n, _)| n == name) {
                    Some((_, values)) => values.push(wanted.to_owned()),
                    None => query
                        .options
                        .push((name.to_owned(), vec![wanted.to_owned()])),
                }
            }
            "sort" => {
                sort = Some(Sort::parse(value).ok_or_else(|| {
                    bad(format!(
                        "Unknown sort {:?}; use one of {}.",
                        clip(value),
                        Sort::NAMES
                    ))
                })?)
            }
            "limit" => {
                query.limit = value
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        bad(format!(
                            "limit must be a whole number from 1 to {MAX_LIMIT}; got {:?}.",
                            clip(value)
                        ))
                    })?
            }
            "cursor" => {
                query.cursor = Some(Cursor::decode(value).ok_or_else(|| {
                    bad("cursor is not one this server gave; start again without it.".into())
                })?)
            }
            _ => {}
        }
    }
    if let (Some(min), Some(max)) = (query.price_min, query.price_max) {
        if min > max {
            return Err(bad(format!(
                "price_min ({min}) is above price_max ({max})."
            )));
        }
    }
    // Without a search, relevance has nothing to rank by; name order is the default.
    query.sort = match (sort, &query.q) {
        (Some(Sort::Relevance), None) => {
            return Err(bad("sort=relevance needs a search (q).".into()))
        }
        (Some(sort), _) => sort,
        (None, Some(_)) => Sort::Relevance,
        (None, None) => Sort::Name,
    };
    match &query.cursor {
        Some(Cursor::Offset { .. }) if query.sort != Sort::Relevance => {
            return Err(bad(
                "cursor belongs to another sort; start again without it.".into(),
            ));
        }
        Some(Cursor::Offset { offset }) if *offset > MAX_RELEVANCE_OFFSET => {
            return Err(bad(
                "cursor is not one this server gave; start again without it.".into(),
            ))
        }
        Some(Cursor::After {
            sort, price, name, ..
        }) => {
            let fits = *sort == query.sort
                && match sort {
                    Sort::PriceAsc | Sort::PriceDesc => price.is_some() && name.is_none(),
                    Sort::Name => name.is_some() && price.is_none(),
                    Sort::Newest => price.is_none() && name.is_none(),
                    Sort::Relevance => false,
                };
            if !fits {
                return Err(bad(
                    "cursor belongs to another sort; start again without it.".into(),
                ));
            }
        }
        _ => {}
    }
    Ok(query)
}

fn id(name: &str, value: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(value).map_err(|_| {
        bad(format!(
            "{name} must be an id (a UUID); got {:?}.",
            clip(value)
        ))
    })
}

fn minor(name: &str, value: &str) -> Result<i64, ApiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0 && value.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            bad(format!(
                "{name} must be a whole number of minor units (paise, cents), 0 or more; got {:?}.",
                clip(value)
            ))
        })
}

fn flag(name: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(bad(format!(
            "{name} must be true or false; got {:?}.",
            clip(value)
        ))),
    }
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn parse(list: &[(&str, &str)]) -> Result<ListQuery, String> {
        parse_list(&pairs(list)).map_err(|e| e.message())
    }

    #[test]
    fn defaults_and_a_full_request() {
        let plain = parse(&[]).unwrap();
        assert_eq!(
            (plain.sort, plain.limit, plain.facets),
            (Sort::Name, 24, false)
        );
        let category = Uuid::now_v7();
        let full = parse(&[
            ("q", "  blue   kurta "),
            ("category", &category.to_string()),
            ("price_min", "100"),
            ("price_max", "5000"),
            ("in_stock", "true"),
            ("option", "Size:M"),
            ("option", "Size:L"),
            ("option", "Colour: Blue"),
            ("limit", "100"),
            ("facets", "true"),
        ])
        .unwrap();
        assert_eq!(full.q.as_deref(), Some("blue kurta"));
        assert_eq!(full.sort, Sort::Relevance);
        assert_eq!(full.category, Some(category));
        assert_eq!(
            full.options,
            [
                ("Size".to_owned(), vec!["M".to_owned(), "L".to_owned()]),
                ("Colour".to_owned(), vec!["Blue".to_owned()])
            ]
        );
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("sort", "cheapest")], "Unknown sort"),
            (&[("sort", "relevance")], "needs a search"),
            (&[("limit", "0")], "limit"),
            (&[("limit", "101")], "limit"),
            (&[("limit", "ten")], "limit"),
            (&[("price_min", "-1")], "price_min"),
            (&[("price_min", "+5")], "price_min"),
            (&[("price_max", "1.5")], "price_max"),
            (&[("price_min", "9"), ("price_max", "1")], "above"),
            (&[("category", "shirts")], "category"),
            (&[("in_stock", "yes")], "in_stock"),
            (&[("option", "Size")], "Name:Value"),
            (&[("option", ":M")], "Name:Value"),
            (&[("cursor", "!!")], "cursor"),
            (&[("cursor", "e30")], "cursor"),
            (&[("colour", "red")], "Unknown parameter"),
            (&[("limit", "5"), ("limit", "6")], "twice"),
            (&[("q", "a\u{7}b")], "control"),
        ];
        for (list, expected) in cases {
            let error = parse(list).unwrap_err();
            assert!(error.contains(expected), "{list:?}: {error}");
        }
        assert!(parse(&[("q", &"x".repeat(101))]).is_err());
    }

    #[test]
    fn a_cursor_only_fits_its_own_sort() {
        let name = Cursor::After {
            sort: Sort::Name,
            price: None,
            name: Some("kurta".into()),
            id: Uuid::now_v7(),
        }
        .encode();
        assert!(parse(&[("cursor", &name)]).is_ok());
        assert!(parse(&[("cursor", &name), ("sort", "price_asc")])
            .unwrap_err()
            .contains("another sort"));
        let offset = Cursor::Offset { offset: 24 }.encode();
        assert!(parse(&[("cursor", &offset), ("q", "kurta")]).is_ok());
        assert!(parse(&[("cursor", &offset)]).is_err());
        let deep = Cursor::Offset {
            offset: MAX_RELEVANCE_OFFSET + 1,
        }
        .encode();
        assert!(parse(&[("cursor", &deep), ("q", "kurta")]).is_err());
    }
}
