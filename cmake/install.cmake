# What `cmake --install` lays out, and the Debian package made from it
# (`cpack -G DEB` in the build directory). Under a prefix P:
#   P/bin/kneechat-server, P/bin/kneechat, P/bin/kneechat-index
#   P/share/kneechat/corpus, P/share/kneechat/kneechat.xapian,
#   P/share/kneechat/web            (found by the server beside its bin/)
#   P/share/kneechat/nginx/kneechat.conf, P/share/kneechat/grafana/...
#   P/lib/systemd/system/kneechat.service, kneechat@.service
#   /etc/kneechat/kneechat.textproto when P is /usr, else P/etc/kneechat/
include(GNUInstallDirs)

set(KNEECHAT_SHARE "share/kneechat")
install(DIRECTORY ${KNEECHAT_CORPUS_DIR}/ DESTINATION ${KNEECHAT_SHARE}/corpus)
install(DIRECTORY ${KNEECHAT_INDEX_DIR}/
        DESTINATION ${KNEECHAT_SHARE}/kneechat.xapian)
install(FILES
          ${KNEECHAT_WEB_DIR}/index.html ${KNEECHAT_WEB_DIR}/widget.js
          ${KNEECHAT_WEB_DIR}/widget.css ${KNEECHAT_WEB_DIR}/demo.css
        DESTINATION ${KNEECHAT_SHARE}/web)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/nginx/kneechat.conf
        DESTINATION ${KNEECHAT_SHARE}/nginx)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/grafana/kneechat-dashboard.json
        DESTINATION ${KNEECHAT_SHARE}/grafana OPTIONAL)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/kneechat.service
              ${CMAKE_SOURCE_DIR}/deploy/kneechat@.service
        DESTINATION lib/systemd/system)
# The deployment file: /etc/kneechat for a /usr install (the package), else
# under the prefix, decided when installing so that --prefix is honoured.
install(CODE "
  set(kneechat_etc \"\${CMAKE_INSTALL_PREFIX}/etc\")
  if(kneechat_etc STREQUAL \"/usr/etc\")
    set(kneechat_etc \"/etc\")
  endif()
  file(INSTALL DESTINATION \"\${kneechat_etc}/kneechat\" TYPE FILE
       PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
       FILES \"${CMAKE_SOURCE_DIR}/deploy/kneechat.textproto\")
")

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "kneechat")
set(CPACK_PACKAGE_VENDOR "kneechat")
set(CPACK_PACKAGE_CONTACT "kneechat maintainers <kneechat@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "conversational engine for knee-pain questions")
set(CPACK_PACKAGE_DESCRIPTION
    "kneechat asks the follow-up questions it needs, answers with cited
quotes from patient-education articles, and refers red flags to care.
It serves gRPC, Connect JSON, a web chat widget and Telegram and Twilio
voice webhooks.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_INSTALL_PREFIX "/usr")
# Absolute destinations (/etc) need DESTDIR-style staging.
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# Library dependencies come from dpkg-shlibdeps over the binaries; adduser
# is for the maintainer scripts.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "hunspell-en-gb")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx, redis-server")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/deploy/package/conffiles
    ${CMAKE_SOURCE_DIR}/deploy/package/postinst
    ${CMAKE_SOURCE_DIR}/deploy/package/prerm
    ${CMAKE_SOURCE_DIR}/deploy/package/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
