dependencies {
    implementation('g:a:1'
}
