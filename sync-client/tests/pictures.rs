//! Product pictures travel as content-addressed blobs: the laptop that adds a picture
//! sends its bytes with the batch that names it; a counter gets the record with the
//! snapshot and fetches the bytes only when it first shows the picture.
#![allow(clippy::unwrap_used)]

// Shared with the chaos test, which uses more of it.
#[allow(dead_code)]
mod server;

use std::io::Cursor;
use std::time::{SystemTime, UNIX_EPOCH};

use galla_core::catalog::{ProductForm, ProductSpec, VariantForm};
use galla_core::store::SyncLink;
use galla_core::{Currency, Store};
use galla_sync_client::{enroll, fetch_image, sync_once, HttpTransport, Transport};
use galla_sync_protocol::{blob_hash, EnrollRequest};
use server::Server;

const EMAIL: &str = "asha@pictures.test";
const PASSWORD: &str = "correct horse battery";

fn now() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

fn png() -> Vec<u8> {
    let picture =
        image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 90]));
    let mut out = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn link(store: &mut Store, url: &str, request: &EnrollRequest) -> String {
    let reply = enroll(url, request).unwrap();
    store
        .link_to_server(&SyncLink {
            server_url: url.into(),
            business_id: reply.business_id,
            business_name: reply.business_name,
            business_slug: reply.business_slug,
            device_name: request.device_name.clone(),
            shop_id: reply.shop_id,
        })
        .unwrap();
    reply.token
}

#[test]
fn a_picture_goes_up_with_its_record_and_a_counter_fetches_it_when_shown() {
    let database = server::fresh_database(1);
    let server = Server::start(&database.url);
    server::create_business(&database.url, EMAIL, PASSWORD);
    let url = server.url();

    // The laptop: a product with a picture, made offline, then linked and synced.
    let laptop_dir = tempfile::tempdir().unwrap();
    let mut laptop = Store::open_in(laptop_dir.path()).unwrap();
    let owner = laptop.create_first_owner("Asha", "2580", now()).unwrap();
    let form = ProductForm {
        name: "Silk scarf".into(),
        variants: vec![VariantForm {
            price: "450".into(),
            ..VariantForm::default()
        }],
        ..ProductForm::default()
    };
    let spec = ProductSpec::parse(&form, Currency::INR).unwrap();
    let scarf = laptop.save_product(&owner, None, &spec, now()).unwrap();
    let bytes = png();
    let hash = blob_hash(&bytes);
    let image = laptop
        .add_product_image(&owner, scarf.id, &bytes, now())
        .unwrap();
    assert_eq!(image.hash, hash);
    let laptop_id = laptop.device();
    let token = link(
        &mut laptop,
        &url,
        &EnrollRequest {
            device_id: laptop_id,
            device_name: "Owner's laptop".into(),
            pairing_code: None,
            email: Some(EMAIL.into()),
            password: Some(PASSWORD.into()),
        },
    );
    let owner_http = HttpTransport::new(&url, &token).unwrap();
    sync_once(&mut laptop, &owner_http, &now).unwrap();
    assert_eq!(laptop.sync_status().unwrap().rejection_count, 0);
    assert_eq!(owner_http.get_blob(&hash).unwrap(), Some(bytes.clone()));

    // The counter joins: the record arrives with the snapshot, the bytes do not.
    let code = owner_http.pairing_code(owner.staff_id(), None).unwrap();
    let counter_dir = tempfile::tempdir().unwrap();
    let mut counter = Store::open_in(counter_dir.path()).unwrap();
    let counter_id = counter.device();
    let token = link(
        &mut counter,
        &url,
        &EnrollRequest {
            device_id: counter_id,
            device_name: "Counter 1".into(),
            pairing_code: Some(code.code),
            email: None,
            password: None,
        },
    );
    let counter_http = HttpTransport::new(&url, &token).unwrap();
    sync_once(&mut counter, &counter_http, &now).unwrap();
    let shown = counter.product_images(scarf.id).unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(
        (shown[0].hash.as_str(), shown[0].width, shown[0].height),
        (hash.as_str(), 40, 30)
    );
    assert!(
        counter.image_file(&hash).is_none(),
        "fetched only when shown"
    );
    assert!(counter.thumbnail_file(&hash).is_none());

    // Shown: fetched, checked, kept with its thumbnail; a second time needs no server.
    assert!(fetch_image(&counter, &counter_http, &hash).unwrap());
    let kept = counter.image_file(&hash).unwrap();
    assert_eq!(std::fs::read(kept).unwrap(), bytes);
    assert!(counter.thumbnail_file(&hash).is_some());
    drop(server);
    assert!(fetch_image(&counter, &counter_http, &hash).unwrap());

    // A name no product here uses is not fetched, and bytes that do not match their
    // name are never kept.
    let stranger = blob_hash(b"not a picture of ours");
    assert!(!fetch_image(&counter, &counter_http, &stranger).unwrap());
    let other = blob_hash(b"other");
    assert!(counter.keep_fetched_image(&other, &bytes).is_err());
    assert!(counter.image_file(&other).is_none());
    database.drop_now();
}
