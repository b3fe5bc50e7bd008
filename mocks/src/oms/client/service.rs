//! The per-URL cache of serviceInfo. A client asks GetServiceInfo once per service and keeps
//! the answer until the server signals serviceUpdate (MS-OMS 2.2.4.4, OMS-R057).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use wire::oms::ServiceInfo;

#[derive(Debug, Default)]
pub(crate) struct ServiceCache {
    entries: Mutex<HashMap<String, ServiceInfo>>,
}

impl ServiceCache {
    /// A panic elsewhere while the lock was held leaves a map that is still consistent (every
    /// operation is a single insert, remove or clone), so a poisoned lock is simply reused.
    fn lock(&self) -> MutexGuard<'_, HashMap<String, ServiceInfo>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn get(&self, url: &str) -> Option<ServiceInfo> {
        self.lock().get(url).cloned()
    }

    pub(super) fn put(&self, url: &str, info: ServiceInfo) {
        self.lock().insert(url.to_owned(), info);
    }

    pub(super) fn forget(&self, url: &str) {
        self.lock().remove(url);
    }
}
