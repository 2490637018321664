// The product list's filters and loaded rows. It lives in ProductsPage, so going
// into the editor and back keeps the search, the filters, the loaded pages and
// the scroll position. Rows are kept in a plain array (100,000 proxied objects
// would be slow); `count` and `version` tell the view when to look again.
import { errorText } from "../api";
import { PAGE_SIZE, searchProducts } from "../api/catalog";
import { reorderList } from "../api/stock";
import type {
  CategoryView,
  ProductDetailView,
  ProductRowView,
  ProductStatus,
  ReorderLineView,
} from "../bindings";

export type StatusFilter = "" | ProductStatus;

export class ProductListModel {
  /** What is in the search box. */
  text = $state("");
  /** "" for all categories. */
  categoryId = $state("");
  /** "" for active and draft products. */
  status = $state<StatusFilter>("");
  lowOnly = $state(false);

  /** The search text of the rows shown (for "Nothing matches …"). */
  shownText = $state("");
  /** Number of rows loaded so far (products, or low-stock lines). */
  count = $state(0);
  /** Bumped when rows change in place. */
  version = $state(0);
  /** No more pages to load. */
  ended = $state(false);
  loading = $state(false);
  /** A first load has finished (with or without rows). */
  loaded = $state(false);
  error = $state<string | null>(null);
  /** Bumped by every reload, so the view scrolls back to the top. */
  resets = $state(0);

  rows: ProductRowView[] = [];
  lowLines: ReorderLineView[] = [];
  /** Where the list was scrolled to, restored when it comes back. */
  scrollTop = 0;

  #generation = 0;
  /** Rows core has sent for this query (the next page's offset). */
  #offset = 0;
  /** Ids already listed: a product saved while paging can shift into the next page again. */
  #seen = new Set<string>();

  /** Starts over with the current filters; responses to older queries are dropped. */
  reload(): Promise<void> {
    this.#generation++;
    this.rows = [];
    this.#offset = 0;
    this.#seen = new Set();
    this.lowLines = [];
    this.count = 0;
    this.version++;
    this.ended = false;
    this.loading = false;
    this.loaded = false;
    this.error = null;
    this.scrollTop = 0;
    this.resets++;
    return this.lowOnly ? this.#loadLow() : this.loadMore();
  }

  /** The next page, unless one is on its way or there is no more. */
  async loadMore(): Promise<void> {
    if (this.loading || this.ended || this.error !== null || this.lowOnly) return;
    const generation = this.#generation;
    const text = this.text;
    this.loading = true;
    try {
      const page = await searchProducts({
        text,
        category_id: this.categoryId === "" ? null : this.categoryId,
        status: this.status === "" ? null : this.status,
        offset: this.#offset,
        limit: PAGE_SIZE,
      });
      if (generation !== this.#generation) return;
      this.#offset += page.length;
      for (const row of page) {
        if (this.#seen.has(row.id)) continue;
        this.#seen.add(row.id);
        this.rows.push(row);
      }
      this.count = this.rows.length;
      this.version++;
      this.shownText = text;
      if (page.length < PAGE_SIZE) this.ended = true;
      this.loaded = true;
    } catch (error) {
      if (generation !== this.#generation) return;
      console.error("search_products failed", error);
      this.error = errorText(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async #loadLow(): Promise<void> {
    const generation = this.#generation;
    const text = this.text;
    this.loading = true;
    try {
      const lines = await reorderList();
      if (generation !== this.#generation) return;
      const needle = text.trim().toLowerCase();
      this.lowLines =
        needle === ""
          ? lines
          : lines.filter(
              (l) => l.item.toLowerCase().includes(needle) || (l.sku ?? "").toLowerCase().includes(needle),
            );
      this.count = this.lowLines.length;
      this.version++;
      this.shownText = text;
      this.ended = true;
      this.loaded = true;
    } catch (error) {
      if (generation !== this.#generation) return;
      console.error("reorder_list failed", error);
      this.error = errorText(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Whether any filter or search narrows the list. */
  get filtered(): boolean {
    return this.shownText.trim() !== "" || this.categoryId !== "" || this.status !== "" || this.lowOnly;
  }

  /** Shows a saved product's new name, price and status without reloading every page. */
  patch(product: ProductDetailView, categories: CategoryView[]): void {
    const index = this.rows.findIndex((row) => row.id === product.id);
    if (index < 0) return;
    const statusShown =
      this.status === "" ? product.status !== "archived" : product.status === this.status;
    if (!statusShown) {
      this.rows.splice(index, 1);
      this.count = this.rows.length;
      this.version++;
      return;
    }
    const first = product.variants[0];
    const old = this.rows[index];
    const category = categories.find((c) => c.id === product.category_id);
    this.rows[index] = {
      id: product.id,
      name: product.name,
      status: product.status,
      variant_id: first?.id ?? null,
      price_minor: first?.price_minor ?? null,
      currency: first?.currency ?? null,
      sku: first?.sku ?? null,
      barcode: first?.barcodes[0] ?? null,
      category: category ? category.name : product.category_id === null ? null : (old?.category ?? null),
      variant_count: product.variants.length,
    };
    this.version++;
  }
}
