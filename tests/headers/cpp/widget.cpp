// SPDX-FileCopyrightText: 2021 Widget Authors
// SPDX-License-Identifier: Apache-2.0

#include "widget.hpp"

namespace ui {
Widget::Widget() = default;
}  // namespace ui
