#pragma once

// The built web app (web/dist), loaded into memory at start-up and served to
// GET/HEAD requests that no API route takes. Hashed files under /assets/ are
// cached by browsers for a year; index.html and other files are revalidated
// (ETag) on every load, so a new build shows up at once. Paths without a file
// extension get index.html, so that the app's own router handles deep links.
//
// Immutable after load(); safe to share between threads. A rebuilt web app is
// picked up at the next start.

#include <map>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace xzzf::http {

class StaticSite {
 public:
  // Loads every regular file under `dir`. A missing directory leaves the site
  // empty: pages then answer 503 with a message saying the web app is not built.
  [[nodiscard]] static Result<StaticSite> load(const std::string& dir);

  [[nodiscard]] Result<Response> serve(const Request& request) const;
  [[nodiscard]] std::size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::shared_ptr<const std::string> bytes;
    std::string content_type;
    std::string etag;
  };
  std::map<std::string, File, std::less<>> files_;  // key: "/assets/x.js"
  std::string dir_;
};

}  // namespace xzzf::http
