//! The product list, the product editor and categories.

use galla_core::catalog::ProductSpec;
use galla_core::id::Uuid;
use galla_core::staff::allows;
use galla_core::{Actor, Permission, Product, ProductQuery, ProductStatus, Store};
use serde_json::Value;

use super::{parse_input, parse_uuid, Terminal};
use crate::wire::catalog::{
    CategoryView, ProductDetailView, ProductEditorInput, ProductQueryInput, ProductRowView,
    VariantStock,
};
use crate::wire::IpcError;

/// "Silk saree (Red / M)" for a variant with options, else the product's name.
pub(super) fn item_name(product: &Product, variant_id: Uuid) -> String {
    match product.variants.iter().find(|v| v.id == variant_id) {
        Some(v) if !v.option_values.is_empty() => {
            format!("{} ({})", product.name, v.option_values.join(" / "))
        }
        _ => product.name.clone(),
    }
}

/// The product as the editor shows it to `actor`, with stock in this device's shop.
pub(super) fn detail(
    store: &mut Store,
    actor: &Actor,
    product: Product,
    now_ms: u64,
) -> Result<ProductDetailView, IpcError> {
    let shop = store.current_shop(now_ms)?.id;
    let mut stock = Vec::with_capacity(product.variants.len());
    for v in &product.variants {
        stock.push((
            v.id,
            store.on_hand(v.id, shop)?.milli(),
            store.low_stock_threshold(v.id, shop)?.map(|q| q.milli()),
        ));
    }
    let show_cost = allows(actor.role(), Permission::ViewCost);
    let images = store.product_images(product.id)?;
    Ok(ProductDetailView::new(product, images, show_cost, |v| {
        let found = stock.iter().find(|(id, _, _)| *id == v.id);
        VariantStock {
            on_hand_milli: found.map_or(0, |s| s.1),
            low_stock_milli: found.and_then(|s| s.2),
        }
    }))
}

/// The product as it is now in the store, for the editor.
fn reloaded(
    store: &mut Store,
    actor: &Actor,
    id: Uuid,
    now_ms: u64,
) -> Result<ProductDetailView, IpcError> {
    let product = store
        .product(id)?
        .ok_or_else(|| IpcError::from(galla_core::CatalogError::NotFound(id)))?;
    detail(store, actor, product, now_ms)
}

impl Terminal {
    /// A page of the product list, or of search results when text is typed.
    pub fn search_products(&self, query: Value) -> Result<Vec<ProductRowView>, IpcError> {
        let input: ProductQueryInput = parse_input(query, "search box")?;
        let category = match input.category_id.as_deref() {
            None | Some("") => None,
            Some(id) => Some(parse_uuid(id, "category")?),
        };
        let query = ProductQuery {
            text: input.text,
            category,
            status: input.status.map(ProductStatus::from),
            limit: input.limit,
            offset: input.offset,
        };
        self.as_actor(|store, _| {
            Ok(store
                .search_products(&query)?
                .into_iter()
                .map(ProductRowView::from)
                .collect())
        })
    }

    pub fn product(&self, id: &str, now_ms: u64) -> Result<ProductDetailView, IpcError> {
        let id = parse_uuid(id, "product")?;
        self.as_actor(|store, actor| reloaded(store, actor, id, now_ms))
    }

    /// Creates (`id` None) or saves the product in the full editor.
    pub fn save_product(
        &self,
        id: Option<&str>,
        input: Value,
        now_ms: u64,
    ) -> Result<ProductDetailView, IpcError> {
        let id = id.map(|id| parse_uuid(id, "product")).transpose()?;
        let form = parse_input::<ProductEditorInput>(input, "product editor")?.form()?;
        self.as_actor(|store, actor| {
            let spec = ProductSpec::parse(&form, store.shop().currency)?;
            let product = store.save_product(actor, id, &spec, now_ms)?;
            detail(store, actor, product, now_ms)
        })
    }

    pub fn set_product_status(
        &self,
        id: &str,
        status: ProductStatus,
        now_ms: u64,
    ) -> Result<ProductDetailView, IpcError> {
        let id = parse_uuid(id, "product")?;
        self.as_actor(|store, actor| {
            let product = store.set_product_status(actor, id, status, now_ms)?;
            detail(store, actor, product, now_ms)
        })
    }

    pub fn add_product_image(
        &self,
        product_id: &str,
        bytes: &[u8],
        now_ms: u64,
    ) -> Result<ProductDetailView, IpcError> {
        let id = parse_uuid(product_id, "product")?;
        self.as_actor(|store, actor| {
            store.add_product_image(actor, id, bytes, now_ms)?;
            reloaded(store, actor, id, now_ms)
        })
    }

    pub fn remove_product_image(
        &self,
        product_id: &str,
        hash: &str,
        now_ms: u64,
    ) -> Result<ProductDetailView, IpcError> {
        let id = parse_uuid(product_id, "product")?;
        self.as_actor(|store, actor| {
            store.remove_product_image(actor, id, hash, now_ms)?;
            reloaded(store, actor, id, now_ms)
        })
    }

    /// Makes the picture the product's main one (position 0) or moves it along.
    pub fn move_product_image(
        &self,
        product_id: &str,
        hash: &str,
        position: usize,
        now_ms: u64,
    ) -> Result<ProductDetailView, IpcError> {
        let id = parse_uuid(product_id, "product")?;
        self.as_actor(|store, actor| {
            store.move_product_image(actor, id, hash, position, now_ms)?;
            reloaded(store, actor, id, now_ms)
        })
    }

    /// The bytes behind a `galla-image://` address: `<hash>/thumb` or `<hash>`. Only
    /// files inside the store's images folder can come out of here.
    pub fn image_bytes(&self, path: &str) -> Option<Vec<u8>> {
        let path = path.trim_start_matches('/');
        let (hash, thumb) = match path.strip_suffix("/thumb") {
            Some(hash) => (hash, true),
            None => (path, false),
        };
        if let Some(bytes) = self.local_image(hash, thumb) {
            return Some(bytes);
        }
        // A picture added on another device is fetched the first time it is shown.
        match self.sync.as_ref()?.fetch_image(hash) {
            Ok(true) => self.local_image(hash, thumb),
            _ => None,
        }
    }

    fn local_image(&self, hash: &str, thumb: bool) -> Option<Vec<u8>> {
        let file = self
            .with_store(|store| {
                Ok(if thumb {
                    store.thumbnail_file(hash)
                } else {
                    store.image_file(hash)
                })
            })
            .ok()??;
        std::fs::read(file).ok()
    }

    pub fn categories(&self) -> Result<Vec<CategoryView>, IpcError> {
        self.as_actor(|store, _| Ok(CategoryView::tree(store.categories()?)))
    }

    pub fn create_category(
        &self,
        name: &str,
        parent_id: Option<&str>,
        now_ms: u64,
    ) -> Result<Vec<CategoryView>, IpcError> {
        let parent = optional_category(parent_id)?;
        self.as_actor(|store, actor| {
            store.create_category(actor, name, parent, now_ms)?;
            Ok(CategoryView::tree(store.categories()?))
        })
    }

    pub fn rename_category(
        &self,
        id: &str,
        name: &str,
        now_ms: u64,
    ) -> Result<Vec<CategoryView>, IpcError> {
        let id = parse_uuid(id, "category")?;
        self.as_actor(|store, actor| {
            store.rename_category(actor, id, name, now_ms)?;
            Ok(CategoryView::tree(store.categories()?))
        })
    }

    pub fn move_category(
        &self,
        id: &str,
        parent_id: Option<&str>,
        now_ms: u64,
    ) -> Result<Vec<CategoryView>, IpcError> {
        let id = parse_uuid(id, "category")?;
        let parent = optional_category(parent_id)?;
        self.as_actor(|store, actor| {
            store.move_category(actor, id, parent, now_ms)?;
            Ok(CategoryView::tree(store.categories()?))
        })
    }

    pub fn archive_category(&self, id: &str, now_ms: u64) -> Result<Vec<CategoryView>, IpcError> {
        let id = parse_uuid(id, "category")?;
        self.as_actor(|store, actor| {
            store.archive_category(actor, id, now_ms)?;
            Ok(CategoryView::tree(store.categories()?))
        })
    }
}

fn optional_category(id: Option<&str>) -> Result<Option<Uuid>, IpcError> {
    match id {
        None | Some("") => Ok(None),
        Some(id) => parse_uuid(id, "category").map(Some),
    }
}
