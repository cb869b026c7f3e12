from vfa.cli import main

raise SystemExit(main())
