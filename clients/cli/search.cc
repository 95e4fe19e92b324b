#include "clients/cli/search.h"

#include <ostream>

#include "clients/cli/render.h"
#include "clients/cli/rpc.h"

namespace kneechat::cli {

int RunSearch(v1::KneeChat::StubInterface& stub, const std::string& query,
              std::ostream& out, std::ostream& err,
              const SearchOptions& options) {
  v1::SearchRequest request;
  request.set_query(query);
  request.set_page_size(options.page_size);
  v1::SearchResponse response;
  const grpc::Status status =
      stub.Search(NewContext(options.timeout).get(), request, &response);
  if (!status.ok()) {
    err << "error: " << ToAbsl(status).ToString() << "\n";
    return 1;
  }
  if (response.passages().empty()) {
    out << "No passages match.\n";
    return 0;
  }
  int rank = 0;
  for (const v1::Passage& passage : response.passages()) {
    if (rank > 0) out << "\n";
    out << RenderPassage(++rank, passage, options.width);
  }
  return 0;
}

}  // namespace kneechat::cli
