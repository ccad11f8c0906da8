/*
 * SPDX-License-Identifier: MPL-2.0
 */
resource "null_resource" "x" {}
