//! A made-up but believable catalog of an Indian shop (sarees, kurtas, spices, tea…),
//! the same for the same seed on every machine, for tests, benchmarks and the demo.
//! Pure: `Store::load_generated_catalog` writes it.

use crate::barcode::check_digit;
use crate::catalog::ProductStatus;

/// A product as the generator made it, before it has ids or clock stamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedProduct {
    pub name: String,
    pub description: String,
    /// Category names from the root down: `["Sarees", "Silk"]`.
    pub category: Vec<String>,
    pub status: ProductStatus,
    /// The options the variants differ by ("Colour"); empty for a product with one
    /// plain variant.
    pub option_names: Vec<String>,
    /// Never empty.
    pub variants: Vec<GeneratedVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedVariant {
    /// One value per option name, in the same order.
    pub option_values: Vec<String>,
    pub sku: String,
    /// In minor units (paise).
    pub price_minor: i64,
    /// A valid EAN-13 under GS1 India's 890 prefix.
    pub barcode: String,
}

/// `products` products, 1 to 5 variants each (3 on average). Product `i` depends only
/// on `seed` and `i`, so SKUs (`SAR-000042-1`) and barcodes are unique within one call;
/// barcodes also move with the seed, but two seeds may share SKUs.
pub fn generate_catalog(seed: u64, products: usize) -> impl Iterator<Item = GeneratedProduct> {
    // Where this seed's barcodes start, so two seeds rarely share one.
    let barcode_base = SplitMix64(seed ^ 0xBA5E_C0DE).next() % BARCODE_SPACE;
    (0..products).map(move |index| product(seed, barcode_base, index))
}

/// Item references available after the 890 prefix: 9 digits.
const BARCODE_SPACE: u64 = 1_000_000_000;
const MAX_VARIANTS: u64 = 5;

/// splitmix64: tiny, fast and good enough to pick words; not for anything secret.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be 0.
    fn below(&mut self, n: usize) -> usize {
        // The remainder is below `n`, so it fits back in a usize.
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// A number of rupees in `low..=high`.
    fn rupees(&mut self, low: i64, high: i64) -> i64 {
        let span = (high - low).max(0) as u64 + 1;
        // The remainder is below `span`, which came from an i64.
        low + (self.next() % span) as i64
    }
}

/// A kind of goods: where it sits in the tree, how it is named and what its variants
/// differ by.
struct Family {
    /// Out of 100: how much of the catalog this family is.
    share: usize,
    sku_prefix: &'static str,
    kinds: &'static [Kind],
    /// Name before the kind's word.
    qualifiers: &'static [&'static str],
    extras: &'static [&'static str],
    descriptions: &'static [&'static str],
    option: &'static str,
    values: &'static [&'static str],
    /// Price of the first value, in rupees.
    price: (i64, i64),
    /// How much dearer each later value is, in percent: bigger sizes and packs cost
    /// more, and their variants run from small to large; colours of one design cost
    /// the same and start anywhere.
    step_percent: i64,
    /// "Women's Cotton Kurta" rather than "Cotton Women's Kurta".
    word_first: bool,
}

/// One sub-category of a family: its path, the word it adds to a name, and the things
/// sold under it.
struct Kind {
    path: &'static [&'static str],
    word: &'static str,
    nouns: &'static [&'static str],
}

const fn kind(
    path: &'static [&'static str],
    word: &'static str,
    nouns: &'static [&'static str],
) -> Kind {
    Kind { path, word, nouns }
}

const COLOURS: &[&str] = &[
    "Red",
    "Maroon",
    "Mustard",
    "Peacock Blue",
    "Rani Pink",
    "Bottle Green",
    "Ivory",
    "Black",
    "Turmeric Yellow",
    "Indigo",
    "Rust",
    "Teal",
];
const SIZES: &[&str] = &["S", "M", "L", "XL", "XXL"];
const SPICE_WEIGHTS: &[&str] = &["50 g", "100 g", "200 g", "500 g", "1 kg"];
const GRAIN_WEIGHTS: &[&str] = &["500 g", "1 kg", "2 kg", "5 kg", "10 kg"];
const PLACES: &[&str] = &[
    "Varanasi",
    "Kanchipuram",
    "Mysuru",
    "Chanderi",
    "Maheshwar",
    "Pochampally",
    "Sambalpur",
    "Jaipur",
    "Lucknow",
    "Kolkata",
    "Kochi",
    "Guntur",
];

const SAREE: &[&str] = &["Saree"];
const KURTAS: &[&str] = &[
    "Straight Kurta",
    "Anarkali Kurta",
    "A-line Kurta",
    "Nehru Collar Kurta",
    "Pathani Kurta",
    "Short Kurta",
];

const FAMILIES: &[Family] = &[
    Family {
        share: 30,
        sku_prefix: "SAR",
        kinds: &[
            kind(&["Sarees", "Silk"], "Silk", SAREE),
            kind(&["Sarees", "Banarasi"], "Banarasi Silk", SAREE),
            kind(&["Sarees", "Kanjeevaram"], "Kanjeevaram Silk", SAREE),
            kind(&["Sarees", "Cotton"], "Cotton", SAREE),
            kind(&["Sarees", "Chanderi"], "Chanderi Cotton", SAREE),
            kind(&["Sarees", "Chiffon"], "Chiffon", SAREE),
            kind(&["Sarees", "Georgette"], "Georgette", SAREE),
            kind(&["Sarees", "Linen"], "Linen", SAREE),
        ],
        qualifiers: &[
            "Handloom",
            "Pure",
            "Soft",
            "Zari",
            "Temple Border",
            "Ikat",
            "Paisley",
            "Floral",
            "Checked",
            "Kalamkari",
            "Bandhani",
            "Festive",
        ],
        extras: &[
            "",
            "",
            "with Blouse Piece",
            "with Zari Border",
            "with Contrast Pallu",
        ],
        descriptions: &[
            "Handwoven in {place}; 6.3 m with an unstitched blouse piece. Dry clean only.",
            "A light drape for everyday wear, woven in {place}. Gentle hand wash.",
            "Festive weave from {place} with a rich pallu and fine border work.",
        ],
        option: "Colour",
        values: COLOURS,
        price: (800, 25_000),
        step_percent: 0,
        word_first: false,
    },
    Family {
        share: 15,
        sku_prefix: "KUR",
        kinds: &[
            kind(&["Kurtas", "Women"], "Women's", KURTAS),
            kind(&["Kurtas", "Men"], "Men's", KURTAS),
            kind(&["Kurtas", "Kids"], "Kids'", KURTAS),
        ],
        qualifiers: &[
            "Cotton",
            "Rayon",
            "Linen",
            "Khadi",
            "Chikankari",
            "Block Print",
            "Silk Blend",
            "Printed",
        ],
        extras: &["", "", "with Pockets", "with Dupatta", "with Pyjama"],
        descriptions: &[
            "Stitched in {place}; breathable and easy to wash. Regular fit.",
            "Everyday comfort with fine hand embroidery from {place}.",
        ],
        option: "Size",
        values: SIZES,
        price: (499, 3_999),
        step_percent: 10,
        word_first: true,
    },
    Family {
        share: 8,
        sku_prefix: "DUP",
        kinds: &[kind(&["Dupattas"], "", &["Dupatta", "Stole"])],
        qualifiers: &[
            "Phulkari", "Bandhani", "Chiffon", "Cotton", "Silk", "Banarasi", "Chanderi", "Leheriya",
        ],
        extras: &["", "with Tassels", "with Gota Border"],
        descriptions: &["Dyed and finished by hand in {place}. 2.25 m."],
        option: "Colour",
        values: COLOURS,
        price: (299, 2_499),
        step_percent: 0,
        word_first: false,
    },
    Family {
        share: 5,
        sku_prefix: "SHW",
        kinds: &[kind(&["Shawls"], "", &["Shawl", "Wrap"])],
        qualifiers: &[
            "Pashmina",
            "Kullu Wool",
            "Kashmiri",
            "Kani",
            "Woollen",
            "Embroidered",
        ],
        extras: &["", "with Sozni Work"],
        descriptions: &["Warm and light, woven in the hills and finished in {place}."],
        option: "Colour",
        values: COLOURS,
        price: (999, 14_999),
        step_percent: 0,
        word_first: false,
    },
    Family {
        share: 15,
        sku_prefix: "SPC",
        kinds: &[
            kind(
                &["Spices", "Whole Spices"],
                "",
                &[
                    "Black Pepper",
                    "Cardamom (Elaichi)",
                    "Cloves (Laung)",
                    "Cumin Seeds (Jeera)",
                    "Cinnamon (Dalchini)",
                    "Mustard Seeds (Rai)",
                ],
            ),
            kind(
                &["Spices", "Ground Spices"],
                "",
                &[
                    "Turmeric Powder (Haldi)",
                    "Red Chilli Powder",
                    "Kashmiri Chilli Powder",
                    "Coriander Powder (Dhania)",
                ],
            ),
            kind(
                &["Spices", "Masala Blends"],
                "",
                &[
                    "Garam Masala",
                    "Chaat Masala",
                    "Sambar Powder",
                    "Biryani Masala",
                    "Chole Masala",
                    "Kitchen King Masala",
                ],
            ),
        ],
        qualifiers: &[
            "Organic",
            "Kerala",
            "Premium",
            "Stone-ground",
            "Homestyle",
            "Farm Fresh",
        ],
        extras: &["", "", "Pouch", "Jar"],
        descriptions: &[
            "Sourced from farms near {place}, cleaned and packed in small batches.",
            "No added colour or preservatives. Store in a cool, dry place.",
        ],
        option: "Weight",
        values: SPICE_WEIGHTS,
        price: (35, 450),
        step_percent: 80,
        word_first: false,
    },
    Family {
        share: 10,
        sku_prefix: "TEA",
        kinds: &[
            kind(&["Tea", "Assam"], "Assam", &["CTC Tea", "Leaf Tea"]),
            kind(
                &["Tea", "Darjeeling"],
                "Darjeeling",
                &["First Flush Tea", "Second Flush Tea", "Leaf Tea"],
            ),
            kind(
                &["Tea", "Nilgiri"],
                "Nilgiri",
                &["Leaf Tea", "Green Tea", "CTC Tea"],
            ),
            kind(&["Tea", "Masala Chai"], "Masala", &["Chai", "Chai Mix"]),
        ],
        qualifiers: &[
            "Estate",
            "Organic",
            "Premium",
            "Single Origin",
            "Classic",
            "Gold",
        ],
        extras: &["", "", "Tin", "Gift Box"],
        descriptions: &["Packed fresh after the season's plucking; blended in {place}."],
        option: "Weight",
        values: SPICE_WEIGHTS,
        price: (90, 900),
        step_percent: 80,
        word_first: false,
    },
    Family {
        share: 7,
        sku_prefix: "GRN",
        kinds: &[
            kind(
                &["Rice & Grains", "Rice"],
                "",
                &["Basmati Rice", "Sona Masoori Rice", "Kolam Rice"],
            ),
            kind(
                &["Rice & Grains", "Dals"],
                "",
                &[
                    "Toor Dal",
                    "Moong Dal",
                    "Chana Dal",
                    "Urad Dal",
                    "Masoor Dal",
                ],
            ),
        ],
        qualifiers: &["Aged", "Organic", "Unpolished", "Premium", "Everyday"],
        extras: &[""],
        descriptions: &["Cleaned and sorted; from growers around {place}."],
        option: "Weight",
        values: GRAIN_WEIGHTS,
        price: (60, 240),
        step_percent: 90,
        word_first: false,
    },
    Family {
        share: 5,
        sku_prefix: "SNK",
        kinds: &[kind(
            &["Snacks"],
            "",
            &[
                "Aloo Bhujia",
                "Khakhra",
                "Banana Chips",
                "Mathri",
                "Chakli",
                "Murukku",
            ],
        )],
        qualifiers: &["Crispy", "Spicy", "Homestyle", "Roasted", "Classic"],
        extras: &["", "Family Pack"],
        descriptions: &["Made fresh in {place}; best within three months."],
        option: "Weight",
        values: SPICE_WEIGHTS,
        price: (40, 180),
        step_percent: 70,
        word_first: false,
    },
    Family {
        share: 5,
        sku_prefix: "HOM",
        kinds: &[
            kind(
                &["Home", "Bedsheets"],
                "",
                &["Cotton Bedsheet", "Double Bedsheet", "Bedsheet Set"],
            ),
            kind(
                &["Home", "Cushion Covers"],
                "",
                &["Cushion Cover", "Cushion Covers (Set of 5)"],
            ),
        ],
        qualifiers: &["Jaipuri", "Sanganeri", "Block Print", "Handloom", "Kantha"],
        extras: &["", "with Pillow Covers"],
        descriptions: &["Hand block printed in {place} with natural dyes."],
        option: "Colour",
        values: COLOURS,
        price: (349, 2_999),
        step_percent: 0,
        word_first: false,
    },
];

fn product(seed: u64, barcode_base: u64, index: usize) -> GeneratedProduct {
    let mut rng = SplitMix64(seed ^ (index as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let family = family(rng.below(100));
    let kind = &family.kinds[rng.below(family.kinds.len())];
    let qualifier = rng.pick(family.qualifiers);
    let (first, second) = if family.word_first {
        (kind.word, qualifier)
    } else {
        (qualifier, kind.word)
    };
    let name = [first, second, rng.pick(kind.nouns), rng.pick(family.extras)]
        .iter()
        .filter(|w| !w.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let description = rng
        .pick(family.descriptions)
        .replace("{place}", rng.pick(PLACES));
    let status = match rng.below(100) {
        0..=2 => ProductStatus::Draft,
        3..=4 => ProductStatus::Archived,
        _ => ProductStatus::Active,
    };
    let count = 1 + rng.below(MAX_VARIANTS as usize);
    // Sizes and packs run up from where they start without wrapping round, so a dearer
    // variant is always the bigger one.
    let first_value = if family.step_percent > 0 {
        rng.below(family.values.len().saturating_sub(count) + 1)
    } else {
        rng.below(family.values.len())
    };
    let base = rng.rupees(family.price.0, family.price.1);
    let variants = (0..count)
        .map(|position| {
            let value = family.values[(first_value + position) % family.values.len()];
            let rupees = base + base * family.step_percent * position as i64 / 100;
            let reference =
                (barcode_base + index as u64 * MAX_VARIANTS + position as u64) % BARCODE_SPACE;
            let body = format!("890{reference:09}");
            GeneratedVariant {
                option_values: if count > 1 {
                    vec![value.to_owned()]
                } else {
                    Vec::new()
                },
                sku: format!("{}-{index:06}-{}", family.sku_prefix, position + 1),
                price_minor: shop_price(rupees),
                barcode: format!("{body}{}", check_digit(&body)),
            }
        })
        .collect();
    GeneratedProduct {
        name,
        description,
        category: kind.path.iter().map(|p| (*p).to_owned()).collect(),
        status,
        option_names: if count > 1 {
            vec![family.option.to_owned()]
        } else {
            Vec::new()
        },
        variants,
    }
}

/// Rupees to paise, ending in 9 as shop prices do (₹1,299).
fn shop_price(rupees: i64) -> i64 {
    (rupees / 10 * 10 + 9) * 100
}

/// The family whose share covers `roll` (0..100).
fn family(roll: usize) -> &'static Family {
    let mut left = roll;
    for family in FAMILIES {
        if left < family.share {
            return family;
        }
        left -= family.share;
    }
    &FAMILIES[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::barcode::Barcode;
    use std::collections::HashSet;

    #[test]
    fn shares_add_up_to_the_whole_catalog() {
        assert_eq!(FAMILIES.iter().map(|f| f.share).sum::<usize>(), 100);
    }

    #[test]
    fn the_same_seed_gives_the_same_catalog() {
        let a: Vec<_> = generate_catalog(7, 50).collect();
        let b: Vec<_> = generate_catalog(7, 50).collect();
        let c: Vec<_> = generate_catalog(8, 50).collect();
        assert_eq!(a, b);
        assert_ne!(a, c, "another seed gives another catalog");
    }

    #[test]
    fn products_are_well_formed_and_codes_unique() {
        let catalog: Vec<_> = generate_catalog(1, 2_000).collect();
        let variants: usize = catalog.iter().map(|p| p.variants.len()).sum();
        assert!(
            (5_600..=6_400).contains(&variants),
            "about 3 variants per product on average, got {variants} for 2,000"
        );
        let mut skus = HashSet::new();
        let mut barcodes = HashSet::new();
        for p in &catalog {
            assert!(!p.name.is_empty() && !p.category.is_empty(), "{p:?}");
            assert!((1..=5).contains(&p.variants.len()));
            assert!(
                p.variants
                    .windows(2)
                    .all(|w| w[0].price_minor <= w[1].price_minor),
                "a later size or pack never costs less: {p:?}"
            );
            for v in &p.variants {
                assert_eq!(v.option_values.len(), p.option_names.len(), "{p:?}");
                assert!(v.price_minor > 0 && v.price_minor % 100 == 0);
                assert!(Barcode::parse(&v.barcode).is_ok(), "{}", v.barcode);
                assert!(skus.insert(v.sku.clone()), "SKU {} twice", v.sku);
                assert!(barcodes.insert(v.barcode.clone()), "{} twice", v.barcode);
            }
        }
    }
}
