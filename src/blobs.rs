//! The contents of evidence files, kept in an object store under `sha256/<hex>`: identical
//! files are stored once. A local directory by default (one instance); S3-compatible storage
//! when a bucket is configured (several instances share it).
//!
//! An upload is streamed: each chunk is hashed, counted and written to a multipart upload of a
//! temporary object, so a file is never held whole in memory. Only once it is complete is it
//! moved to its hash's key. Whatever ends an upload early (a refused file, a storage error, a
//! client gone mid-body, which drops the handler's future) drops the [`Upload`], whose `Drop`
//! aborts the multipart upload and deletes the temporary object: nothing is left behind.

use std::sync::Arc;

use actix_web::web::Bytes;
use futures_util::{Stream, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, WriteMultipart};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::error::{AppError, AppResult};

/// Where evidence files' contents are kept.
#[derive(Clone)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
    /// The directory of a local store, whose unfinished multipart uploads are files of their
    /// own that the store does not list.
    local_dir: Option<std::path::PathBuf>,
}

/// How old a temporary upload must be before the sweep takes it for one a crash left behind:
/// far longer than any upload takes.
pub const STALE_UPLOAD: chrono::Duration = chrono::Duration::hours(24);

/// Parts of a multipart upload in flight at once: bounds the memory an upload takes to a few
/// parts (object_store's parts are 5 MiB, the least S3 takes).
const PARTS_IN_FLIGHT: usize = 2;

fn storage(e: object_store::Error) -> AppError {
    AppError::internal(format!("object store: {e}"))
}

/// The key of the contents whose SHA-256 is `sha256` (lowercase hex).
pub fn key_of(sha256: &str) -> Path {
    Path::from(format!("sha256/{sha256}"))
}

impl Blobs {
    /// The store the settings name: the S3 bucket `files.s3.bucket` when set, else the
    /// directory `files.dir` (created, for the owner only).
    pub fn from_config(config: &Config) -> Result<Blobs, String> {
        let s3 = &config.files.s3;
        let mut local_dir = None;
        let store: Arc<dyn ObjectStore> = if s3.bucket.is_empty() {
            let dir = config.files_dir();
            local_dir = Some(dir.clone());
            crate::config::create_private_dir(&dir)?;
            let local = LocalFileSystem::new_with_prefix(&dir)
                .map_err(|e| format!("the evidence file directory {}: {e}", dir.display()))?
                .with_automatic_cleanup(true);
            Arc::new(local)
        } else {
            let mut builder = AmazonS3Builder::new()
                .with_bucket_name(&s3.bucket)
                .with_allow_http(s3.allow_http)
                .with_region(if s3.region.is_empty() { "us-east-1" } else { s3.region.as_str() });
            if !s3.endpoint.is_empty() {
                builder = builder.with_endpoint(&s3.endpoint);
            }
            if !s3.access_key_id.is_empty() {
                builder = builder.with_access_key_id(&s3.access_key_id).with_secret_access_key(&s3.secret_access_key);
            }
            Arc::new(builder.build().map_err(|e| format!("the evidence file bucket {}: {e}", s3.bucket))?)
        };
        Ok(Blobs { store, local_dir })
    }

    /// Starts writing a new file's contents.
    pub async fn begin(&self) -> AppResult<Upload> {
        let temp = Path::from(format!("tmp/{}", uuid::Uuid::now_v7()));
        let upload = self.store.put_multipart(&temp).await.map_err(storage)?;
        Ok(Upload {
            store: self.store.clone(),
            temp,
            writer: Some(WriteMultipart::new(upload)),
            temp_written: false,
            hasher: Sha256::new(),
            size: 0,
        })
    }

    /// The contents stored under `sha256`, as a stream of chunks.
    pub async fn read(
        &self,
        sha256: &str,
    ) -> AppResult<impl Stream<Item = Result<Bytes, object_store::Error>> + use<>> {
        let found = self.store.get(&key_of(sha256)).await.map_err(storage)?;
        Ok(found.into_stream())
    }

    /// Deletes the contents stored under `sha256`; already gone is fine.
    pub async fn remove(&self, sha256: &str) -> AppResult<()> {
        match self.store.delete(&key_of(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(storage(e)),
        }
    }

    /// Deletes what uploads cut short by a crash left under `tmp/` (the process died before an
    /// [`Upload`]'s cleanup ran) when it is older than `cutoff`. Returns how many went. On S3,
    /// parts of a multipart upload never completed are not objects: a bucket lifecycle rule
    /// (`AbortIncompleteMultipartUpload`) removes them.
    pub async fn remove_stale_uploads(&self, cutoff: chrono::DateTime<chrono::Utc>) -> AppResult<usize> {
        if let Some(dir) = self.local_dir.clone() {
            return tokio::task::spawn_blocking(move || remove_files_before(&dir.join("tmp"), cutoff))
                .await
                .map_err(|e| AppError::internal(format!("stale uploads: {e}")))?;
        }
        let prefix = Path::from("tmp");
        let stale: Vec<Path> = self
            .store
            .list(Some(&prefix))
            .try_filter(|meta| std::future::ready(meta.last_modified < cutoff))
            .map_ok(|meta| meta.location)
            .try_collect()
            .await
            .map_err(storage)?;
        for key in &stale {
            match self.store.delete(key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(storage(e)),
            }
        }
        Ok(stale.len())
    }

    /// Every key in the store, temporary ones included: for tests and checks.
    pub async fn keys(&self) -> AppResult<Vec<String>> {
        let mut keys: Vec<String> =
            self.store.list(None).map_ok(|meta| meta.location.to_string()).try_collect().await.map_err(storage)?;
        keys.sort();
        Ok(keys)
    }
}

/// A file's contents on their way in. Dropped before [`Upload::store`] succeeded, it cleans up
/// after itself on the runtime.
pub struct Upload {
    store: Arc<dyn ObjectStore>,
    temp: Path,
    writer: Option<WriteMultipart>,
    /// Whether the temporary object is complete (and so must be deleted, not aborted).
    temp_written: bool,
    hasher: Sha256,
    size: u64,
}

impl Upload {
    /// Writes the next chunk, hashing and counting it.
    pub async fn write(&mut self, chunk: Bytes) -> AppResult<()> {
        let writer = self.writer.as_mut().ok_or_else(|| AppError::internal("write after the upload ended"))?;
        writer.wait_for_capacity(PARTS_IN_FLIGHT).await.map_err(storage)?;
        self.hasher.update(&chunk);
        self.size += chunk.len() as u64;
        writer.put(chunk);
        Ok(())
    }

    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Completes the contents and keeps them under their hash (once: identical contents stored
    /// already are kept as they are). Returns the hash (lowercase hex) and the size.
    pub async fn store(mut self) -> AppResult<(String, u64)> {
        let writer = self.writer.take().ok_or_else(|| AppError::internal("the upload ended already"))?;
        // Marked first: a failure inside `finish` may leave a complete object behind.
        self.temp_written = true;
        writer.finish().await.map_err(storage)?;
        let sha256 = hex(&self.hasher.clone().finalize());
        let key = key_of(&sha256);
        match self.store.head(&key).await {
            Ok(_) => {}
            Err(object_store::Error::NotFound { .. }) => {
                self.store.rename(&self.temp, &key).await.map_err(storage)?;
                self.temp_written = false;
            }
            Err(e) => return Err(storage(e)),
        }
        Ok((sha256, self.size))
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        let writer = self.writer.take();
        if writer.is_none() && !self.temp_written {
            return;
        }
        let (store, temp, written) = (self.store.clone(), self.temp.clone(), self.temp_written);
        // Dropped outside a runtime only when the process is ending; a restart's listing of
        // `tmp/` would show what is left.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Some(writer) = writer
                    && let Err(e) = writer.abort().await
                {
                    tracing::warn!(error = %e, key = %temp, "could not abort an unfinished upload");
                }
                if written && let Err(e) = store.delete(&temp).await {
                    tracing::warn!(error = %e, key = %temp, "could not delete a temporary upload");
                }
            });
        }
    }
}

/// Deletes the files directly in `dir` last changed before `cutoff` (a local store's `tmp/`,
/// where an unfinished upload's staging files sit beside complete temporary objects).
fn remove_files_before(dir: &std::path::Path, cutoff: chrono::DateTime<chrono::Utc>) -> AppResult<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(AppError::internal(format!("stale uploads: {e}"))),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        let changed = meta.modified().map(chrono::DateTime::<chrono::Utc>::from);
        if meta.is_file() && changed.is_ok_and(|at| at < cutoff) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
