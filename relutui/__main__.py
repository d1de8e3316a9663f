from relutui.cli import main

raise SystemExit(main())
