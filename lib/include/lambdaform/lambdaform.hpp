#pragma once
/// \file The umbrella header: everything lambdaform offers.

#include "lambdaform/ci.hpp"          // IWYU pragma: export
#include "lambdaform/deploy.hpp"      // IWYU pragma: export
#include "lambdaform/diagnostic.hpp"  // IWYU pragma: export
#include "lambdaform/emit.hpp"        // IWYU pragma: export
#include "lambdaform/field.hpp"       // IWYU pragma: export
#include "lambdaform/iam.hpp"         // IWYU pragma: export
#include "lambdaform/intrinsic.hpp"   // IWYU pragma: export
#include "lambdaform/json.hpp"        // IWYU pragma: export
#include "lambdaform/lambda.hpp"      // IWYU pragma: export
#include "lambdaform/logs.hpp"        // IWYU pragma: export
#include "lambdaform/package.hpp"     // IWYU pragma: export
#include "lambdaform/plan.hpp"        // IWYU pragma: export
#include "lambdaform/review.hpp"      // IWYU pragma: export
#include "lambdaform/spec.hpp"        // IWYU pragma: export
#include "lambdaform/template.hpp"    // IWYU pragma: export
#include "lambdaform/validate.hpp"    // IWYU pragma: export
#include "lambdaform/version.hpp"     // IWYU pragma: export
#include "lambdaform/versioning.hpp"  // IWYU pragma: export
