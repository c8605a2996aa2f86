/** BrowserApi over the real extension APIs (webextension-polyfill: `browser.*` in both browsers). */
import browser from 'webextension-polyfill';
import type { BrowserApi, KeyValueStore } from './browser-api.js';

function store(area: browser.Storage.StorageArea): KeyValueStore {
  return {
    async get<T>(key: string) {
      return (await area.get(key))[key] as T | undefined;
    },
    set: (key, value) => area.set({ [key]: value }),
    remove: (key) => area.remove(key),
  };
}

export function realBrowserApi(): BrowserApi {
  return {
    session: store(browser.storage.session),
    local: store(browser.storage.local),
    async setBadge(tabId, badge) {
      // The tab may be gone by the time a verdict arrives: that is not an error.
      await Promise.all([
        browser.action.setBadgeText({ tabId, text: badge.text }),
        browser.action.setBadgeBackgroundColor({ tabId, color: badge.color }),
        browser.action.setTitle({ tabId, title: badge.title }),
      ]).catch(() => undefined);
    },
    async notify(id, title, message) {
      await browser.notifications.create(id, {
        type: 'basic',
        iconUrl: browser.runtime.getURL('icons/icon-128.png'),
        title,
        message,
      });
    },
    now: () => Date.now(),
  };
}
