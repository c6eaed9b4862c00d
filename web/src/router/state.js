// Navigation state the layouts show: a page whose code failed to load, and
// a console page the logged-in user may not open.
import { shallowRef } from 'vue';

export const navigationError = shallowRef(null);
export const forbiddenPage = shallowRef(false);
