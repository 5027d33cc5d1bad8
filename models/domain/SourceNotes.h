#pragma once

// Notes a snapshot carries in source.warnings that another step may take back: the admin API
// cannot show litellm_settings or (on some proxies) the router's aliases, and a config.yaml given
// later fills both in. One definition, so the merge removes exactly the note the API added.
#include "domain/TranslationContexts.h"

#include <QString>

namespace litescope {

inline QString settingsNotShownNote() {
    return ApiText::tr("litellm_settings (model_alias_map, "
                       "personal_key_model_access_from_teams) live in the proxy's config.yaml "
                       "and no admin endpoint returns them: decisions that depend on them are "
                       "unknown. Give the proxy's config with --proxy-config FILE, or their "
                       "values with --litellm-settings FILE.");
}

inline QString routerAliasesNotShownNote() {
    return ApiText::tr("The proxy showed neither /get/config/callbacks nor /router/settings: "
                       "its router model_group_alias is unknown.");
}

} // namespace litescope
