import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';

import { i18nNamespaces } from '$lib/i18n';
import resources from '$lib/i18n/locales';

// Everything renders in the browser: the server only hands out files and the API.
export const ssr = false;
export const prerender = false;

export const load = async () => {
  i18next.use(LanguageDetector).init({
    fallbackLng: 'en',
    load: 'languageOnly',
    ns: i18nNamespaces,
    defaultNS: 'common',
    detection: { order: ['querystring', 'localStorage', 'navigator'], caches: ['localStorage'], lookupQuerystring: 'lng', lookupLocalStorage: 'locale' },
    resources,
  });
};
