// kneechat-server: serves the kneechat.v1.KneeChat gRPC API, grpc.health.v1
// and reflection over the kneechat engine, and with --http-listen also the
// HTTP side (Connect JSON, web widget, channel webhooks) in the same process.
//
// Prints "kneechat-server listening on HOST:PORT" on stdout once it accepts
// RPCs (after "kneechat-server http listening on HOST:PORT" when HTTP is on).
// SIGTERM or SIGINT reports NOT_SERVING, lets requests in flight finish for
// --shutdown_grace and exits 0. A start-up failure (a missing index or
// knowledge file, an address in use) prints the reason on stderr and exits 1.
#include <pthread.h>

#include <csignal>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "kneechat/v1/kneechat.grpc.pb.h"
#include "services/channels/telegram_webhook.h"
#include "services/channels/twilio_voice_webhook.h"
#include "services/common/paths.h"
#include "services/engine/kneechat_engine.h"
#include "services/grpc/dashed_flags.h"
#include "services/grpc/grpc_server.h"
#include "services/grpc/kneechat_service.h"
#include "services/http/http_server.h"
#include "services/triage/deployment_config.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "gRPC address HOST:PORT; port 0 picks a free port");
ABSL_FLAG(std::string, http_listen, "",
          "HTTP address HOST:PORT for the Connect JSON API, the web widget "
          "and channel webhooks; empty turns HTTP off");
ABSL_FLAG(std::string, http_allowed_origins, "",
          "comma-separated origins allowed to call the HTTP API from a "
          "browser (CORS); empty allows same-origin pages only");
ABSL_FLAG(std::string, public_url, "",
          "externally visible origin of the HTTP side (e.g. "
          "https://clinic.example.com), which Twilio signs; empty makes the "
          "voice webhook refuse every request");
ABSL_FLAG(std::string, corpus_dir, kneechat::DefaultDataPaths().corpus_dir,
          "curated corpus directory (articles, rules, lexicons, dialogue "
          "text)");
ABSL_FLAG(std::string, index_dir, kneechat::DefaultDataPaths().index_dir,
          "Xapian index directory");
ABSL_FLAG(std::string, web_dir, kneechat::DefaultDataPaths().web_dir,
          "web widget assets served over HTTP");
ABSL_FLAG(std::string, config, "",
          "deployment configuration file (emergency number, clinic contact, "
          "channel secrets); empty uses the built-in defaults");
ABSL_FLAG(absl::Duration, session_ttl, absl::Minutes(30),
          "idle time after which a session expires");
ABSL_FLAG(uint64_t, max_sessions, 10000,
          "live sessions kept at most; CreateSession beyond is "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long requests in flight may run after SIGTERM or SIGINT");

namespace kneechat {
namespace {

int Fail(const absl::Status& status) {
  std::cerr << "kneechat-server: cannot start: " << status.message()
            << std::endl;
  return 1;
}

absl::Status CheckFlags() {
  if (absl::GetFlag(FLAGS_session_ttl) <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--session_ttl must be positive");
  }
  if (absl::GetFlag(FLAGS_max_sessions) == 0) {
    return absl::InvalidArgumentError("--max_sessions must be positive");
  }
  if (absl::GetFlag(FLAGS_shutdown_grace) < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--shutdown_grace must not be negative");
  }
  return absl::OkStatus();
}

EngineOptions EngineOptionsFromFlags() {
  EngineOptions options;
  options.paths.corpus_dir = absl::GetFlag(FLAGS_corpus_dir);
  options.paths.index_dir = absl::GetFlag(FLAGS_index_dir);
  options.paths.web_dir = absl::GetFlag(FLAGS_web_dir);
  options.config_path = absl::GetFlag(FLAGS_config);
  options.session_ttl = absl::GetFlag(FLAGS_session_ttl);
  options.max_sessions = absl::GetFlag(FLAGS_max_sessions);
  return options;
}

// The host part of `host_port` ("[::1]:80" gives "[::1]").
std::string HostOf(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  return colon == std::string::npos ? host_port : host_port.substr(0, colon);
}

// The channel webhooks served over HTTP. A channel whose secrets are not
// configured keeps its route and refuses every request (401/403).
struct ChannelWebhooks {
  std::unique_ptr<TelegramWebhook> telegram;
  std::unique_ptr<TwilioVoiceWebhook> twilio_voice;
};

absl::StatusOr<ChannelWebhooks> MakeChannelWebhooks(Engine& engine) {
  absl::StatusOr<DeploymentConfig> config =
      LoadDeploymentConfig(absl::GetFlag(FLAGS_config));
  if (!config.ok()) return config.status();
  const knowledge::v1::ChannelSettings& channels = config->channels();
  TelegramWebhookOptions telegram;
  telegram.secret_token = channels.telegram_secret_token();
  telegram.bot_token = channels.telegram_bot_token();
  if (!channels.telegram_bot_api_base_url().empty()) {
    telegram.api_base_url = channels.telegram_bot_api_base_url();
  }
  TwilioVoiceOptions voice;
  voice.auth_token = channels.twilio_auth_token();
  voice.public_base_url = absl::GetFlag(FLAGS_public_url);
  voice.clinic_transfer_number = channels.clinic_transfer_number();
  ChannelWebhooks webhooks;
  webhooks.telegram =
      std::make_unique<TelegramWebhook>(engine, std::move(telegram));
  webhooks.twilio_voice =
      std::make_unique<TwilioVoiceWebhook>(engine, std::move(voice));
  return webhooks;
}

int Run() {
  absl::Status flags = CheckFlags();
  if (!flags.ok()) return Fail(flags);

  // Blocked before any thread starts, so every gRPC and HTTP thread inherits
  // the mask and only the sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const EngineOptions engine_options = EngineOptionsFromFlags();
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      CreateKneechatEngine(engine_options);
  if (!engine.ok()) return Fail(engine.status());

  KneeChatService service(**engine);
  GrpcServerOptions grpc_options;
  grpc_options.listen_address = absl::GetFlag(FLAGS_listen);
  absl::StatusOr<std::unique_ptr<GrpcServer>> grpc_server = GrpcServer::Start(
      grpc_options, service, {v1::KneeChat::service_full_name()});
  if (!grpc_server.ok()) return Fail(grpc_server.status());

  // Declared before the HTTP server, which must stop before they go.
  ChannelWebhooks webhooks;
  std::unique_ptr<HttpServer> http_server;
  const std::string http_listen = absl::GetFlag(FLAGS_http_listen);
  if (!http_listen.empty()) {
    absl::StatusOr<ChannelWebhooks> made = MakeChannelWebhooks(**engine);
    if (!made.ok()) {
      (*grpc_server)->Shutdown(absl::Now());
      return Fail(made.status());
    }
    webhooks = std::move(*made);
    HttpOptions http_options;
    http_options.route_registrars.push_back(
        [&webhooks](httplib::Server& server) {
          webhooks.telegram->Register(server);
          webhooks.twilio_voice->Register(server);
        });
    http_options.web_dir = engine_options.paths.web_dir;
    for (absl::string_view origin :
         absl::StrSplit(absl::GetFlag(FLAGS_http_allowed_origins), ',',
                        absl::SkipWhitespace())) {
      http_options.allowed_origins.emplace_back(origin);
    }
    absl::StatusOr<std::unique_ptr<HttpServer>> started =
        HttpServer::Start(http_listen, **engine, http_options);
    if (!started.ok()) {
      (*grpc_server)->Shutdown(absl::Now());
      return Fail(started.status());
    }
    http_server = std::move(*started);
  }

  // The gRPC line comes last: once it is printed, everything is serving.
  if (http_server != nullptr) {
    std::cout << "kneechat-server http listening on " << HostOf(http_listen)
              << ":" << http_server->port() << std::endl;
  }
  std::cout << "kneechat-server listening on " << (*grpc_server)->address()
            << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cerr << "kneechat-server: "
            << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
            << ", shutting down" << std::endl;
  if (http_server != nullptr) http_server->Stop();
  (*grpc_server)->Shutdown(absl::Now() + absl::GetFlag(FLAGS_shutdown_grace));
  return 0;
}

}  // namespace
}  // namespace kneechat

int main(int argc, char** argv) {
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::EndsWith(file, "services/grpc/server_main.cc");
  };
  usage.contains_helpshort_flags = usage.contains_help_flags;
  absl::SetFlagsUsageConfig(usage);
  absl::SetProgramUsageMessage(
      "serves the kneechat API.\n"
      "  kneechat-server [--listen HOST:PORT] [--http-listen HOST:PORT] "
      "[--config FILE] ...");
  std::vector<std::string> args = kneechat::UnderscoreFlagNames(argc, argv);
  std::vector<char*> arg_pointers = kneechat::ArgvPointers(args);
  std::vector<char*> positional = absl::ParseCommandLine(
      static_cast<int>(arg_pointers.size()), arg_pointers.data());
  if (positional.size() > 1) {
    std::cerr << "kneechat-server: unexpected argument '" << positional[1]
              << "'; see --help" << std::endl;
    return 1;
  }
  return kneechat::Run();
}
