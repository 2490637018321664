// Helpers for component tests (not part of the app bundle).
import type { ProductView } from "./bindings";

export function product(overrides: Partial<ProductView> = {}): ProductView {
  return {
    id: "p-1",
    name: "Silk saree",
    price_minor: 129950,
    currency: "INR",
    sku: "SAR-001",
    barcode: "4006381333931",
    status: "active",
    ...overrides,
  };
}

/** A promise with its resolve/reject exposed, to hold a command "in flight". */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
