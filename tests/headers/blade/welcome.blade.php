{{-- SPDX-License-Identifier: MIT --}}
<h1>{{ $title }}</h1>
