/***************************************************************************
 *                                  _   _ ____  _
 *  Project                     ___| | | |  _ \| |
 *                             / __| | | | |_) | |
 *                            | (__| |_| |  _ <| |___
 *                             \___|\___/|_| \_\_____|
 *
 * Copyright (C) Example Banner Authors, <banner@example.org>, et al.
 *
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 * This paragraph stands in for the long permission notice of a project
 *
 * This line pads the banner so the tag starts at byte 36
 * SPDX-License-Identifier: curl
 *
 ***************************************************************************/
#include "banner.h"
