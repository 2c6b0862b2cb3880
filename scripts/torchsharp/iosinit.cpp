// Defines std::ios_base_library_init(), which code built by GCC 13 or later calls to set up std::cout and the
// other standard streams, for a libstdc++ older than GLIBCXX_3.4.32 (Debian 12 ships GCC 12's). Older libstdc++
// sets the streams up through std::ios_base::Init objects, so constructing one does the same job.
// Built and used by scripts/fix-torchsharp-natives; see docs/decisions/0004-torchsharp-natives.md.
#include <ios>

namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}
