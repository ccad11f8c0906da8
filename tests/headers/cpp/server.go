// Copyright 2022 The Server Authors. All rights reserved.
// SPDX-License-Identifier: BSD-3-Clause

package server

const banner = "// not a comment: SPDX-License-Identifier: GPL-2.0-only"
