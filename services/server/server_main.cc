// kneechat-server: serves the kneechat.v1.KneeChat gRPC API, grpc.health.v1
// and reflection over the kneechat engine, and with --http-listen also the
// HTTP side (Connect JSON, web widget, channel webhooks) in the same process.
//
// The composition root: the deployment configuration is loaded once here and
// handed to the engine (triage) and the channel webhooks; the session store
// named by --session_store is built here, and its health drives the gRPC
// health service, GET /healthz and GET /readyz. Every engine call passes
// through an ObservedEngine (a JSON log line and metrics per call; GET
// /metrics), every store call through an ObservedSessionStore.
//
// Logs are JSON lines on stderr (services/common/server_log.h): start,
// stop, configuration errors and, at --log_level info, one per request.
//
// Prints "kneechat-server listening on HOST:PORT" on stdout once it accepts
// RPCs (after "kneechat-server http listening on HOST:PORT" when HTTP is on).
// SIGTERM or SIGINT reports NOT_SERVING, lets requests in flight finish for
// --shutdown_grace and exits 0. If the gRPC port stops accepting
// connections (see --listener_probe_interval) it reports NOT_SERVING and
// exits 1 for its supervisor to restart it. A start-up failure (a missing index
// or knowledge file, an address in use) logs the reason and exits 1.
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "kneechat/v1/kneechat.grpc.pb.h"
#include "services/channels/channel_adapters.h"
#include "services/channels/redis_channel_state_store.h"
#include "services/common/dashed_flags.h"
#include "services/common/paths.h"
#include "services/common/server_log.h"
#include "services/config/deployment_config.h"
#include "services/config/http_limits.h"
#include "services/engine/kneechat_engine.h"
#include "services/grpc/grpc_server.h"
#include "services/grpc/kneechat_service.h"
#include "services/handoff/clinic_delivery.h"
#include "services/http/http_server.h"
#include "services/observability/kneechat_metrics.h"
#include "services/observability/observed_engine.h"
#include "services/observability/observed_session_store.h"
#include "services/observability/ops_routes.h"
#include "services/outbound/curl_transport.h"
#include "services/server/fd_limit.h"
#include "services/server/health_watch.h"
#include "services/session/memory_session_store.h"
#include "services/session/session_store_factory.h"

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
ABSL_FLAG(std::string, session_store, "memory",
          "where sessions live: memory (this process only), "
          "redis://[:PASSWORD@]HOST:PORT[/DB] or "
          "redis-sentinel://HOST:PORT[,HOST:PORT...]/MASTER_NAME"
          "[?password=...]; with Redis any number of replicas serve the "
          "same conversations");
ABSL_FLAG(absl::Duration, session_ttl, absl::Minutes(30),
          "idle time after which a session expires");
ABSL_FLAG(uint64_t, max_sessions, 250000,
          "live sessions kept at most by the memory store (a few KiB each); "
          "beyond, a new session replaces the one idle longest (Redis: "
          "bounded by its maxmemory)");
ABSL_FLAG(absl::Duration, session_compress_after, absl::Seconds(60),
          "memory store: a session unused this long is kept compressed "
          "(zstd, about 40% of its size) until its next message, which "
          "decompresses it (a few microseconds); 0 compresses at once, inf "
          "never");
ABSL_FLAG(absl::Duration, redis_timeout, absl::Milliseconds(500),
          "connect and per-command timeout towards Redis and the sentinels");
ABSL_FLAG(absl::Duration, session_lock_wait, absl::Seconds(2),
          "Redis: how long a turn waits for another turn of the same "
          "session before failing with UNAVAILABLE (retryable)");
ABSL_FLAG(absl::Duration, session_lock_ttl, absl::Seconds(5),
          "Redis: longest a turn may hold its session; frees a session "
          "whose replica died mid-turn. Must exceed the slowest turn");
ABSL_FLAG(int32_t, redis_wait_replicas, 0,
          "Redis: after each turn, wait (best effort, a fifth of "
          "--redis_timeout at most) until this many replicas have it");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long requests in flight may run after SIGTERM or SIGINT");
ABSL_FLAG(std::string, log_level, "info",
          "least severe log lines written on stderr (JSON, one per line): "
          "debug, info (adds a line per request), warning or error");
ABSL_FLAG(absl::Duration, listener_probe_interval, absl::Seconds(5),
          "how often the gRPC port is checked to still accept connections; "
          "after three failed checks in a row the server exits (status 1) "
          "for its supervisor to restart it");

namespace kneechat {
namespace {

#ifndef KNEECHAT_VERSION
#define KNEECHAT_VERSION "unknown"
#endif

int Fail(const absl::Status& status) {
  LogEvent(LogLevel::kError, "start_failed",
           LogFields().Add("message", status.message()));
  return 1;
}

// The kind of store a --session_store spec names, without its address or
// password: "memory", "redis" or "redis-sentinel".
std::string StoreKind(const std::string& spec) {
  const size_t scheme = spec.find("://");
  return scheme == std::string::npos ? spec : spec.substr(0, scheme);
}

absl::Status CheckFlags() {
  if (absl::GetFlag(FLAGS_session_ttl) <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--session_ttl must be positive");
  }
  if (absl::GetFlag(FLAGS_max_sessions) == 0) {
    return absl::InvalidArgumentError("--max_sessions must be positive");
  }
  if (absl::GetFlag(FLAGS_session_compress_after) < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--session_compress_after must not be negative");
  }
  if (absl::GetFlag(FLAGS_redis_timeout) <= absl::ZeroDuration() ||
      absl::GetFlag(FLAGS_session_lock_wait) <= absl::ZeroDuration() ||
      absl::GetFlag(FLAGS_session_lock_ttl) <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--redis_timeout, --session_lock_wait and --session_lock_ttl must be "
        "positive");
  }
  if (absl::GetFlag(FLAGS_redis_wait_replicas) < 0) {
    return absl::InvalidArgumentError(
        "--redis_wait_replicas must not be negative");
  }
  if (absl::GetFlag(FLAGS_shutdown_grace) < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--shutdown_grace must not be negative");
  }
  return absl::OkStatus();
}

SessionStoreOptions SessionStoreOptionsFromFlags() {
  SessionStoreOptions options;
  options.ttl = absl::GetFlag(FLAGS_session_ttl);
  options.max_sessions = absl::GetFlag(FLAGS_max_sessions);
  options.compress_after = absl::GetFlag(FLAGS_session_compress_after);
  options.redis_timeout = absl::GetFlag(FLAGS_redis_timeout);
  options.lock_wait = absl::GetFlag(FLAGS_session_lock_wait);
  options.lock_ttl = absl::GetFlag(FLAGS_session_lock_ttl);
  options.replica_acks = absl::GetFlag(FLAGS_redis_wait_replicas);
  return options;
}

// With Redis, the channels' state goes there too, so that any replica can
// take a chat's or a call's next webhook. Their turns call the engine while
// holding the record, so they get longer locks: a Telegram chat's covers at
// most two engine turns (a session that expired is replaced and the message
// played again) and no Bot API call, so a replica that dies holding it
// delays that chat's redelivery by at most this long; a call's also covers
// the voice channel's own work.
ChannelStateStores MakeChannelStateStores(const SessionBackend& backend) {
  ChannelStateStores stores;
  if (backend.redis == nullptr) return stores;
  const RedisRecordOptions& session = backend.redis_records;
  RedisRecordOptions records = session;
  records.lock_ttl = 2 * (session.lock_wait + session.lock_ttl);
  records.lock_wait = std::max(session.lock_wait, absl::Seconds(10));
  records.ttl = absl::Hours(24);  // a chat's link to its session
  stores.telegram = std::make_shared<RedisChannelStateStore>(
      backend.redis, "kneechat:telegram", absl::Hours(48), records);
  // A WhatsApp user's record also keeps when they last wrote (the 24-hour
  // window); wamids are remembered for Meta's week of retries.
  records.ttl = absl::Hours(25);
  stores.whatsapp = std::make_shared<RedisChannelStateStore>(
      backend.redis, "kneechat:whatsapp", absl::Hours(24 * 8), records);
  // An SMS conversation; answered MessageSids keep their TwiML for
  // Twilio's retries.
  records.ttl = absl::Hours(24);
  stores.sms = std::make_shared<RedisChannelStateStore>(
      backend.redis, "kneechat:sms", absl::Hours(48), records);
  records.lock_ttl = std::max(session.lock_ttl, absl::Seconds(30));
  records.ttl = absl::Hours(2);  // a call
  stores.voice = std::make_shared<RedisChannelStateStore>(
      backend.redis, "kneechat:voice", absl::Hours(2), records);
  return stores;
}

EngineOptions EngineOptionsFromFlags(DeploymentConfig config,
                                     SessionStore& store) {
  EngineOptions options;
  options.paths.corpus_dir = absl::GetFlag(FLAGS_corpus_dir);
  options.paths.index_dir = absl::GetFlag(FLAGS_index_dir);
  options.paths.web_dir = absl::GetFlag(FLAGS_web_dir);
  options.config = std::move(config);
  options.session_store = &store;
  options.session_ttl = absl::GetFlag(FLAGS_session_ttl);
  options.max_sessions = absl::GetFlag(FLAGS_max_sessions);
  return options;
}

// Webhook requests the adapters did not play, from their own counters.
std::vector<CallbackFamily::Binding> BindWebhookRejections(
    const ChannelAdapters& channels, KneechatMetrics& metrics) {
  std::vector<CallbackFamily::Binding> bound;
  CallbackFamily& family = metrics.webhook_rejections;
  if (const TelegramWebhook* telegram = channels.telegram.get()) {
    auto bind = [&](const char* reason, uint64_t TelegramWebhookStats::*field) {
      bound.push_back(family.Bind({"telegram", reason}, [telegram, field] {
        return static_cast<double>(telegram->stats().*field);
      }));
    };
    bind("bad_secret", &TelegramWebhookStats::unauthorized);
    bind("duplicate", &TelegramWebhookStats::duplicates);
    bind("malformed_or_oversize", &TelegramWebhookStats::rejected);
    bind("rate_limited", &TelegramWebhookStats::rate_limited);
    bind("unavailable", &TelegramWebhookStats::store_failures);
  }
  if (const TwilioVoiceWebhook* voice = channels.voice.get()) {
    auto bind = [&](const char* reason, uint64_t TwilioVoiceStats::*field) {
      bound.push_back(family.Bind({"voice", reason}, [voice, field] {
        return static_cast<double>(voice->stats().*field);
      }));
    };
    bind("bad_signature", &TwilioVoiceStats::forged);
    bind("duplicate", &TwilioVoiceStats::replays);
    bind("malformed_or_oversize", &TwilioVoiceStats::rejected);
    bind("rate_limited", &TwilioVoiceStats::rate_limited);
    bind("unavailable", &TwilioVoiceStats::store_failures);
  }
  if (const TwilioSmsWebhook* sms = channels.sms.get()) {
    auto bind = [&](const char* reason, uint64_t TwilioSmsStats::*field) {
      bound.push_back(family.Bind({"sms", reason}, [sms, field] {
        return static_cast<double>(sms->stats().*field);
      }));
    };
    bind("bad_signature", &TwilioSmsStats::forged);
    bind("duplicate", &TwilioSmsStats::replays);
    bind("malformed_or_oversize", &TwilioSmsStats::rejected);
    bind("opt_out_keyword", &TwilioSmsStats::keywords);
    bind("rate_limited", &TwilioSmsStats::rate_limited);
    bind("unavailable", &TwilioSmsStats::store_failures);
  }
  if (const WhatsAppWebhook* whatsapp = channels.whatsapp.get()) {
    auto bind = [&](const char* reason, uint64_t WhatsAppWebhookStats::*field) {
      bound.push_back(family.Bind({"whatsapp", reason}, [whatsapp, field] {
        return static_cast<double>(whatsapp->stats().*field);
      }));
    };
    bind("bad_secret", &WhatsAppWebhookStats::unauthorized);
    bind("bad_signature", &WhatsAppWebhookStats::forged);
    bind("duplicate", &WhatsAppWebhookStats::duplicates);
    bind("malformed_or_oversize", &WhatsAppWebhookStats::rejected);
    bind("ignored", &WhatsAppWebhookStats::ignored);
    bind("unsupported_type", &WhatsAppWebhookStats::unsupported);
    bind("outside_service_window", &WhatsAppWebhookStats::outside_window);
    bind("send_failed", &WhatsAppWebhookStats::send_failures);
    bind("rate_limited", &WhatsAppWebhookStats::rate_limited);
    bind("unavailable", &WhatsAppWebhookStats::store_failures);
  }
  return bound;
}

// The host part of `host_port` ("[::1]:80" gives "[::1]").
std::string HostOf(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  return colon == std::string::npos ? host_port : host_port.substr(0, colon);
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

  absl::StatusOr<DeploymentConfig> config =
      LoadDeploymentConfig(absl::GetFlag(FLAGS_config));
  if (!config.ok()) {
    LogEvent(LogLevel::kError, "config_error",
             LogFields()
                 .Add("file", absl::GetFlag(FLAGS_config))
                 .Add("message", config.status().message()));
    return 1;
  }
  const knowledge::v1::ChannelSettings channel_settings = config->channels();
  FairUse fair_use(config->fair_use());
  const HttpLimits http_limits = HttpLimitsFrom(config->http());

  absl::StatusOr<SessionBackend> backend = MakeSessionBackend(
      absl::GetFlag(FLAGS_session_store), SessionStoreOptionsFromFlags());
  if (!backend.ok()) return Fail(backend.status());
  // Every store call is timed and its failures counted.
  KneechatMetrics& metrics = Metrics();
  ObservedSessionStore observed_store(*backend->sessions, metrics);
  SessionStore* store = &observed_store;
  CallbackFamily::Binding sessions_open;
  if (auto* memory = dynamic_cast<MemorySessionStore*>(backend->sessions.get());
      memory != nullptr) {
    sessions_open = metrics.sessions_open.Bind(
        {}, [memory] { return static_cast<double>(memory->Size()); });
  }
  CallbackFamily::Binding build_info =
      metrics.build_info.Bind({KNEECHAT_VERSION}, [] { return 1.0; });

  // The clinic's handoff endpoint, when configured: summaries go there,
  // signed, once a person consents (or a call is put through).
  std::unique_ptr<CurlTransport> handoff_transport;
  std::unique_ptr<ClinicWebhookDelivery> handoff_delivery;
  if (!config->handoff().url().empty()) {
    handoff_transport = std::make_unique<CurlTransport>();
    ClinicDeliveryOptions delivery;
    delivery.url = config->handoff().url();
    delivery.secret = config->handoff().secret();
    handoff_delivery = std::make_unique<ClinicWebhookDelivery>(
        *handoff_transport, std::move(delivery));
  }
  EngineOptions engine_options =
      EngineOptionsFromFlags(*std::move(config), *store);
  engine_options.handoff_delivery = handoff_delivery.get();
  absl::StatusOr<std::unique_ptr<Engine>> real_engine =
      CreateKneechatEngine(engine_options);
  if (!real_engine.ok()) return Fail(real_engine.status());
  // Every call from every front end: one log line and its metrics.
  auto engine = std::make_unique<ObservedEngine>(**real_engine, metrics);

  KneeChatService service(*engine, &fair_use);
  GrpcServerOptions grpc_options;
  grpc_options.listen_address = absl::GetFlag(FLAGS_listen);
  absl::StatusOr<std::unique_ptr<GrpcServer>> grpc_server = GrpcServer::Start(
      grpc_options, service, {v1::KneeChat::service_full_name()});
  if (!grpc_server.ok()) return Fail(grpc_server.status());

  // The store's reachability drives both health reports. Declared after the
  // gRPC server and before the HTTP server, so it stops before the first and
  // after the second.
  GrpcServer* grpc_for_health = grpc_server->get();
  auto health = std::make_unique<HealthWatch>(
      [store] { return store->CheckHealth(); },
      [grpc_for_health](bool healthy) {
        grpc_for_health->SetServing(healthy);
        LogEvent(
            healthy ? LogLevel::kInfo : LogLevel::kError,
            healthy ? "serving" : "not_serving",
            LogFields().Add("reason", healthy ? "session store reachable"
                                              : "session store unreachable"));
      },
      absl::Seconds(1));
  HealthWatch* health_for_http = health.get();
  CallbackFamily::Binding store_up = metrics.store_up.Bind(
      {}, [health_for_http] { return health_for_http->healthy() ? 1.0 : 0.0; });

  // Declared before the HTTP server, which must stop before they go.
  ChannelAdapters channels;
  std::unique_ptr<HttpServer> http_server;
  const std::string http_listen = absl::GetFlag(FLAGS_http_listen);
  if (!http_listen.empty()) {
    channels = MakeChannelAdapters(
        *engine, channel_settings, absl::GetFlag(FLAGS_public_url),
        MakeChannelStateStores(*backend), &fair_use, handoff_delivery.get());
    HttpOptions http_options;
    http_options.routes = channels.Routes();
    http_options.ready = [health_for_http] {
      return health_for_http->healthy();
    };
    // GET /metrics, /readyz and /livez.
    for (HttpRoute& route :
         OpsRoutes(OpsEndpoints{&metrics.registry, http_options.ready})) {
      http_options.routes.push_back(std::move(route));
    }
    http_options.web_dir = engine_options.paths.web_dir;
    http_options.fair_use = &fair_use;
    http_options.limits = http_limits;
    for (absl::string_view origin :
         absl::StrSplit(absl::GetFlag(FLAGS_http_allowed_origins), ',',
                        absl::SkipWhitespace())) {
      http_options.allowed_origins.emplace_back(origin);
    }
    absl::StatusOr<std::unique_ptr<HttpServer>> started =
        HttpServer::Start(http_listen, *engine, http_options);
    if (!started.ok()) {
      (*grpc_server)->Shutdown(absl::Now());
      return Fail(started.status());
    }
    http_server = std::move(*started);
  }
  // Declared after the adapters, so unbound before they go.
  const std::vector<CallbackFamily::Binding> webhook_rejections =
      BindWebhookRejections(channels, metrics);

  // The gRPC line comes last: once it is printed, everything is serving.
  if (http_server != nullptr) {
    std::cout << "kneechat-server http listening on " << HostOf(http_listen)
              << ":" << http_server->port() << std::endl;
  }
  std::cout << "kneechat-server listening on " << (*grpc_server)->address()
            << std::endl;
  LogEvent(
      LogLevel::kInfo, "start",
      LogFields()
          .Add("version", KNEECHAT_VERSION)
          .Add("grpc", (*grpc_server)->address())
          .Add("http",
               http_server != nullptr
                   ? absl::StrCat(HostOf(http_listen), ":", http_server->port())
                   : std::string())
          .Add("session_store", StoreKind(absl::GetFlag(FLAGS_session_store))));

  // gRPC 1.51 stops accepting for good after accept() fails for lack of
  // descriptors: when the port no longer answers three times in a row,
  // report NOT_SERVING and exit non-zero so the supervisor restarts us.
  std::atomic<bool> listener_dead{false};
  std::atomic<int> failed_probes{0};
  const absl::Duration probe_interval =
      absl::GetFlag(FLAGS_listener_probe_interval);
  auto listener_watch = std::make_unique<HealthWatch>(
      [grpc_for_health, &failed_probes, probe_interval] {
        absl::Status probe = grpc_for_health->ProbeListener(
            std::min(probe_interval, absl::Seconds(2)));
        if (probe.ok()) {
          failed_probes = 0;
          return probe;
        }
        return ++failed_probes >= 3 ? probe : absl::OkStatus();
      },
      [grpc_for_health, &listener_dead](bool healthy) {
        if (healthy || listener_dead.exchange(true)) return;
        LogLine(
            "gRPC port stopped accepting connections; reporting NOT_SERVING "
            "and exiting for the supervisor to restart kneechat",
            LogLevel::kError);
        grpc_for_health->SetServing(false);
        kill(getpid(), SIGTERM);
      },
      probe_interval);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  LogEvent(LogLevel::kInfo, "stopping",
           LogFields()
               .Add("signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
               .Add("grace_s", absl::ToDoubleSeconds(
                                   absl::GetFlag(FLAGS_shutdown_grace))));
  const absl::Time stop_start = absl::Now();
  listener_watch.reset();
  if (http_server != nullptr) http_server->Stop();
  (*grpc_server)->Shutdown(absl::Now() + absl::GetFlag(FLAGS_shutdown_grace));
  health.reset();
  const int exit_code = listener_dead ? 1 : 0;
  LogEvent(exit_code == 0 ? LogLevel::kInfo : LogLevel::kError, "stop",
           LogFields()
               .Add("exit_code", exit_code)
               .Add("drain_ms",
                    absl::ToDoubleMilliseconds(absl::Now() - stop_start)));
  return exit_code;
}

}  // namespace
}  // namespace kneechat

int main(int argc, char** argv) {
  kneechat::RouteProtobufLogging();
  // Lock-order checking costs every mutex acquisition a graph update; the
  // sanitizer and unit-test builds keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  const absl::StatusOr<uint64_t> files = kneechat::RaiseOpenFileLimit();
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::EndsWith(file, "services/server/server_main.cc");
  };
  usage.contains_helpshort_flags = usage.contains_help_flags;
  absl::SetFlagsUsageConfig(usage);
  absl::SetProgramUsageMessage(
      "serves the kneechat API.\n"
      "  kneechat-server [--listen HOST:PORT] [--http-listen HOST:PORT] "
      "[--config FILE] [--session-store memory|redis://...|"
      "redis-sentinel://...] ...");
  std::vector<std::string> args = kneechat::UnderscoreFlagNames(argc, argv);
  std::vector<char*> arg_pointers = kneechat::ArgvPointers(args);
  std::vector<char*> positional = absl::ParseCommandLine(
      static_cast<int>(arg_pointers.size()), arg_pointers.data());
  if (positional.size() > 1) {
    std::cerr << "kneechat-server: unexpected argument '" << positional[1]
              << "'; see --help" << std::endl;
    return 1;
  }
  kneechat::LogLevel level;
  if (!kneechat::ParseLogLevel(absl::GetFlag(FLAGS_log_level), &level)) {
    std::cerr << "kneechat-server: --log_level must be debug, info, warning "
                 "or error"
              << std::endl;
    return 1;
  }
  kneechat::SetLogLevel(level);
  if (files.ok()) {
    kneechat::LogEvent(
        kneechat::LogLevel::kInfo, "open_files_limit",
        kneechat::LogFields().Add("limit", static_cast<int64_t>(*files)));
  } else {
    kneechat::LogLine(std::string(files.status().message()));
  }
  return kneechat::Run();
}
