// Document title: "<page> - <deployment name>", or the name alone.
export function documentTitle(pageTitle, name) {
  if (!pageTitle) return name;
  return name ? `${pageTitle} - ${name}` : pageTitle;
}
