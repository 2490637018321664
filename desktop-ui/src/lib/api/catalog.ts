// Typed wrappers for the catalog commands (products, categories, pictures).
// Components call these, never invoke; `call` sends people back to the PIN
// screen when their session has ended.
import { call } from "../session.svelte";
import type {
  CategoryView,
  ProductDetailView,
  ProductEditorInput,
  ProductQueryInput,
  ProductRowView,
} from "../bindings";

/** Rows per search_products request. */
export const PAGE_SIZE = 100;

export function searchProducts(query: ProductQueryInput): Promise<ProductRowView[]> {
  return call<ProductRowView[]>("search_products", { query });
}

export function getProduct(id: string): Promise<ProductDetailView> {
  return call<ProductDetailView>("get_product", { id });
}

/** Creates (id null) or saves a product from the full editor. */
export function saveProduct(id: string | null, input: ProductEditorInput): Promise<ProductDetailView> {
  return call<ProductDetailView>("save_product", { id, input });
}

export function archiveProduct(id: string): Promise<ProductDetailView> {
  return call<ProductDetailView>("archive_product", { id });
}

export function restoreProduct(id: string): Promise<ProductDetailView> {
  return call<ProductDetailView>("restore_product", { id });
}

export function listCategories(): Promise<CategoryView[]> {
  return call<CategoryView[]>("list_categories");
}

export function createCategory(name: string, parentId: string | null): Promise<CategoryView[]> {
  return call<CategoryView[]>("create_category", { name, parentId });
}

export function renameCategory(id: string, name: string): Promise<CategoryView[]> {
  return call<CategoryView[]>("rename_category", { id, name });
}

export function moveCategory(id: string, parentId: string | null): Promise<CategoryView[]> {
  return call<CategoryView[]>("move_category", { id, parentId });
}

export function archiveCategory(id: string): Promise<CategoryView[]> {
  return call<CategoryView[]>("archive_category", { id });
}

/** Uploads a picked picture: its bytes are the raw request body. */
export async function addProductImage(productId: string, file: Blob): Promise<ProductDetailView> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return call<ProductDetailView>("add_product_image", bytes, {
    headers: { "x-galla-product-id": productId },
  });
}

export function removeProductImage(productId: string, hash: string): Promise<ProductDetailView> {
  return call<ProductDetailView>("remove_product_image", { productId, hash });
}

/** Position 0 makes it the main picture. */
export function moveProductImage(productId: string, hash: string, position: number): Promise<ProductDetailView> {
  return call<ProductDetailView>("move_product_image", { productId, hash, position });
}
