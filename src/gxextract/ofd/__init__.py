"""OFD (GB/T 33190, 开放版式文档): the package and its pages as positioned characters, rules and images."""
