//! A least-recently-used cache bounded by a byte budget, for ONNX Runtime sessions keyed by
//! the SHA-256 of their model file.
//!
//! The cost of an entry is the size of its model file, which for Blueprint graphs is almost
//! all weights and so tracks the session's memory. Eviction scans the entries for the oldest
//! use: the cache holds tens of sessions, not millions, so a scan beats a linked list.

use std::collections::HashMap;
use std::sync::Arc;

/// Values by key, least recently used dropped first once their costs exceed the budget.
#[derive(Debug)]
pub struct LruCache<V> {
    budget: usize,
    used: usize,
    clock: u64,
    entries: HashMap<String, Entry<V>>,
}

#[derive(Debug)]
struct Entry<V> {
    value: Arc<V>,
    cost: usize,
    last_used: u64,
}

impl<V> LruCache<V> {
    /// An empty cache holding at most `budget` of cost (but always the latest entry).
    pub fn new(budget: usize) -> LruCache<V> {
        LruCache {
            budget,
            used: 0,
            clock: 0,
            entries: HashMap::new(),
        }
    }

    /// The value under `key`, marked as just used.
    pub fn get(&mut self, key: &str) -> Option<Arc<V>> {
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(key).map(|entry| {
            entry.last_used = clock;
            Arc::clone(&entry.value)
        })
    }

    /// Whether `key` is cached (without marking it used).
    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Caches `value` under `key` unless a value is already there, and returns the cached
    /// one. Evicts least recently used entries until the costs fit the budget again; the
    /// entry just inserted stays even when it alone is over budget (it is in use).
    pub fn insert(&mut self, key: &str, value: V, cost: usize) -> Arc<V> {
        if let Some(existing) = self.get(key) {
            return existing;
        }
        self.clock += 1;
        let value = Arc::new(value);
        self.entries.insert(
            key.to_owned(),
            Entry {
                value: Arc::clone(&value),
                cost,
                last_used: self.clock,
            },
        );
        self.used += cost;
        while self.used > self.budget && self.entries.len() > 1 {
            let oldest = self
                .entries
                .iter()
                .filter(|(candidate, _)| candidate.as_str() != key)
                .min_by_key(|(_, entry)| entry.last_used)
                .map(|(candidate, _)| candidate.clone());
            match oldest {
                Some(oldest) => {
                    self.remove(&oldest);
                }
                None => break,
            }
        }
        value
    }

    /// Drops `key`'s entry. (A caller still holding its `Arc` keeps the value alive.)
    pub fn remove(&mut self, key: &str) -> bool {
        match self.entries.remove(key) {
            Some(entry) => {
                self.used -= entry.cost;
                true
            }
            None => false,
        }
    }

    /// Drops every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.used = 0;
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sum of the entries' costs.
    pub fn used(&self) -> usize {
        self.used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_entry_goes_first_when_the_budget_is_exceeded() {
        let mut cache = LruCache::new(10);
        cache.insert("a", 1, 4);
        cache.insert("b", 2, 4);
        assert_eq!(cache.get("a").as_deref(), Some(&1)); // b is now the oldest
        cache.insert("c", 3, 4);
        assert!(cache.contains("a") && cache.contains("c") && !cache.contains("b"));
        assert_eq!(cache.used(), 8);
    }

    #[test]
    fn an_entry_larger_than_the_budget_is_kept_alone() {
        let mut cache = LruCache::new(10);
        cache.insert("a", 1, 4);
        cache.insert("huge", 2, 50);
        assert_eq!(cache.len(), 1);
        assert!(cache.contains("huge"));
    }

    #[test]
    fn inserting_an_existing_key_keeps_the_first_value() {
        let mut cache = LruCache::new(10);
        cache.insert("a", 1, 4);
        assert_eq!(*cache.insert("a", 2, 4), 1);
        assert_eq!(cache.used(), 4);
        assert!(cache.remove("a"));
        assert!(cache.is_empty() && cache.used() == 0);
    }
}
